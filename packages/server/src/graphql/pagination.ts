import DataLoader from 'dataloader';
import { LIMIT_EXCEEDED_MESSAGE } from './limits.ts';
import { AppError } from '../errors.ts';

/** Connections serve at most this many nodes a page (DESIGN §4): more is an error, not a clamp. */
export const MAX_PAGE = 100;

export interface PageArgs {
  first: number;
  /** Cursor of the last node already seen. */
  after?: string | null;
}

/** Cursors are opaque to clients: base64url of the sort key. */
export const encodeCursor = (key: string | number): string => Buffer.from(`c:${key}`).toString('base64url');

export function decodeCursor(cursor: string | null | undefined, path: string[] = ['after']): string | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const raw = Buffer.from(cursor, 'base64url').toString();
  if (!raw.startsWith('c:')) throw new AppError('VALIDATION', 'after is not a cursor this API returned.', path);
  return raw.slice(2);
}

/**
 * The position a seq- or offset-keyed cursor holds: a whole number from `min` up (a seq from 0,
 * an index from 0); anything else (a cursor of another connection, edited or made up) is the same
 * VALIDATION error as a cursor that does not decode, never an empty page or an unexpected error.
 * Null without a cursor.
 */
export function decodeIntCursor(cursor: string | null | undefined, min: number, path: string[] = ['after']): number | null {
  const raw = decodeCursor(cursor, path);
  if (raw === null) return null;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new AppError('VALIDATION', 'after is not a cursor this API returned.', path);
  return n;
}

/**
 * Checks `first` (0–100; null means the default) and returns the page size and how many rows to
 * fetch: one more, to know whether a next page exists.
 */
export function pageSize(first: number | null | undefined, fallback = 20): { first: number; limit: number } {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) throw new AppError('LIMIT_EXCEEDED', LIMIT_EXCEEDED_MESSAGE.page(n, MAX_PAGE), ['first']);
  return { first: n, limit: n + 1 };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Builds a connection from up to first + 1 rows in order. */
export function toConnection<T>(rows: T[], first: number, cursorOf: (row: T) => string | number, hasPrevious: boolean): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export interface PageKey<A> {
  parent: string;
  args: A;
  limit: number;
  after: number;
}

/**
 * A per-request loader of one page per parent. Keys with the same filters, size and cursor are
 * answered by one SQL statement (`run`, typically a window function partitioned by parent), so
 * the statement count does not grow with the number of parents or the page size.
 */
export function pagedLoader<Row, A>(
  run: (parents: string[], args: A, limit: number, after: number) => Promise<(Row & { parentKey: string })[]>,
): DataLoader<PageKey<A>, Row[], string> {
  return new DataLoader<PageKey<A>, Row[], string>(
    async (keys) => {
      const groups = new Map<string, PageKey<A>[]>();
      for (const k of keys) {
        const g = JSON.stringify([k.args, k.limit, k.after]);
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const results = new Map<string, Row[]>();
      for (const [g, ks] of groups) {
        const { args, limit, after } = ks[0];
        const rows = await run([...new Set(ks.map((k) => k.parent))], args, limit, after);
        for (const row of rows) {
          const id = JSON.stringify([row.parentKey, g]);
          results.set(id, [...(results.get(id) ?? []), row]);
        }
      }
      return keys.map((k) => results.get(JSON.stringify([k.parent, JSON.stringify([k.args, k.limit, k.after])])) ?? []);
    },
    // At most 500 parents per statement, far below SQLite's bound-variable limit.
    { cacheKeyFn: (k) => JSON.stringify([k.parent, k.args, k.limit, k.after]), maxBatchSize: 500 },
  );
}
