import { createClient, type FetchLike, type RetryOptions } from '@trustledger/sdk';
import type { TestFirm, TestServer } from '../support/server.ts';

/** Fast retries, so tests that exercise them stay quick. */
export const FAST_RETRY: RetryOptions = { retries: 3, minDelayMs: 1, maxDelayMs: 20 };

/** An SDK client for one of the fixture's firms. */
export function sdk(ts: TestServer, firm: TestFirm, role: 'admin' | 'writer' | 'reader' = 'writer', options: { fetch?: FetchLike; retry?: RetryOptions | false } = {}) {
  return createClient({ url: ts.url, apiKey: firm.keys[role], retry: options.retry ?? FAST_RETRY, fetch: options.fetch });
}

/** A supplier and a client SDK over one active relationship. */
export async function activePair(ts: TestServer, occurredAt = '2026-01-05T09:00:00Z') {
  const supplier = sdk(ts, ts.supplier);
  const client = sdk(ts, ts.client);
  const { relationship } = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt });
  await client.relationships.accept({ relationshipId: relationship.id, occurredAt });
  return { supplier, client, relationshipId: relationship.id };
}

/** A fetch that counts requests and passes them on. */
export function countingFetch() {
  const calls: { body: string }[] = [];
  const fetch: FetchLike = (input, init) => {
    calls.push({ body: String(init.body) });
    return globalThis.fetch(input, init);
  };
  return { fetch, calls };
}
