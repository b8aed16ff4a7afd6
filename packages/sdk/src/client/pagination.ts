/** One page as the SDK reads it from a connection. */
export interface Page<T, C> {
  nodes: T[];
  hasNextPage: boolean;
  /** Where the next page starts (a cursor, or a seq for the ledger). */
  next: C | null;
}

/**
 * A lazily fetched list: nothing is requested until you iterate, and each page is requested
 * only when the previous one is used up. `for await (const x of list)` walks every node.
 */
export interface Paginated<T> extends AsyncIterable<T> {
  /** The pages themselves, for batch processing. */
  pages(): AsyncIterable<T[]>;
  /** Reads every page into one array. */
  toArray(): Promise<T[]>;
}

/** Largest page the API serves (DESIGN §4: more is an error, not a clamp). */
export const MAX_PAGE_SIZE = 100;

/** Checks a page size the caller chose: 1–100. */
export function checkPageSize(pageSize: number | undefined, fallback: number): number {
  const n = pageSize ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${n})`);
  return n;
}

/** Builds a Paginated from a function that fetches the page after `start` (null: the first). */
export function paginate<T, C>(fetchPage: (after: C | null) => Promise<Page<T, C>>, start: C | null = null): Paginated<T> {
  async function* pages(): AsyncGenerator<T[]> {
    let after = start;
    for (;;) {
      const page = await fetchPage(after);
      if (page.nodes.length > 0) yield page.nodes;
      if (!page.hasNextPage || page.next === null || page.nodes.length === 0) return;
      after = page.next;
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page;
    },
    async toArray() {
      const all: T[] = [];
      for await (const page of pages()) all.push(...page);
      return all;
    },
  };
}

/** Reads a Relay connection into a Page keyed by cursor. */
export function relayPage<T>(connection: {
  edges: readonly { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}): Page<T, string> {
  return { nodes: connection.edges.map((e) => e.node), hasNextPage: connection.pageInfo.hasNextPage, next: connection.pageInfo.endCursor };
}
