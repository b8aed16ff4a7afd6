import { expect, it } from 'vitest';
import { paginate } from '../../src/client/pagination.ts';

it('fetches pages lazily and stops at the last one', async () => {
  const requested: (number | null)[] = [];
  const list = paginate<number, number>(async (after) => {
    requested.push(after);
    const start = after ?? 0;
    const nodes = [start + 1, start + 2, start + 3].filter((n) => n <= 7);
    return { nodes, hasNextPage: start + 3 < 7, next: nodes.at(-1) ?? null };
  });
  expect(requested).toEqual([]);
  const it = list[Symbol.asyncIterator]();
  expect((await it.next()).value).toBe(1);
  expect(requested).toEqual([null]);
  expect(await list.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(requested).toEqual([null, null, 3, 6]);
});
