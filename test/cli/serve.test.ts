/**
 * First run: `serve` on an empty database seeds the demo and prints the URLs and keys; on a
 * database with firms, or with --no-demo / TRUSTLEDGER_DEMO=0, it seeds nothing.
 */
import { expect, test } from 'vitest';
import { cliJson, gql, start, tempDb } from './cli.ts';

const READY = /^trustledger API on (http:\/\/\S+\/graphql)/m;

test('serve on an empty database seeds the demo and prints the URLs and keys; the next start seeds nothing', async () => {
  using tmp = tempDb();
  {
    await using serve = start(tmp.db, ['serve', '--port', '0']);
    const out = await serve.waitFor(/The keys are shown once/, 120_000);
    const url = READY.exec(out)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(out).toContain(`GraphQL API  ${url}`);
    expect(out).toContain(`Portal       ${url.replace(/\/graphql$/, '/portal')}`);
    const block = /Brightwave Telecom\n {2}id {6}(\S+)\n {2}admin {3}(tl_\S+)\n {2}writer {2}(tl_\S+)/.exec(out);
    expect(block).not.toBeNull();
    const [, id, admin, writer] = block as RegExpExecArray;
    const viewer = await gql(url, writer, '{ viewer { role firm { id name } review(as: SUPPLIER) { edges { node { counterparty { name } } } } } }');
    expect(viewer.viewer).toMatchObject({ role: 'WRITER', firm: { id, name: 'Brightwave Telecom' } });
    expect(viewer.viewer.review.edges.map((e: any) => e.node.counterparty.name).sort()).toEqual(['Mosaic Retail Group', 'Northwind Logistics']);
    expect((await gql(url, admin, '{ viewer { role } }')).viewer.role).toBe('ADMIN');
    expect(serve.stderr()).toMatch(/seeded \d+\/\d+ entries/);
    expect(await serve.stop()).toBe(0);
  }
  {
    await using again = start(tmp.db, ['serve', '--port', '0']);
    const out = await again.waitFor(READY);
    expect(out).not.toContain('Demo data');
    expect(out).not.toMatch(/tl_/);
  }
  const firms = await cliJson(tmp.db, ['firm', 'list']);
  expect(firms).toHaveLength(6);
});

test('serve --no-demo and TRUSTLEDGER_DEMO=0 leave an empty database empty', async () => {
  using tmp = tempDb();
  {
    await using serve = start(tmp.db, ['serve', '--port', '0', '--no-demo', '--json']);
    const out = await serve.waitFor(/"demo": null\s*\}/);
    expect(JSON.parse(out)).toMatchObject({ url: expect.stringMatching(/\/graphql$/), portalUrl: expect.stringMatching(/\/portal$/), demo: null });
  }
  {
    await using serve = start(tmp.db, ['serve', '--port', '0'], { TRUSTLEDGER_DEMO: '0' });
    const out = await serve.waitFor(READY);
    expect(out).not.toContain('Demo data');
  }
  expect(await cliJson(tmp.db, ['firm', 'list'])).toEqual([]);
});
