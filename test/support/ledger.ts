import type { EntryType, LedgerEntry } from '@trustledger/schema';
import { ok, type TestFirm } from './server.ts';

const LEDGER = `query($id: ID!, $after: String) { node(id: $id) { ... on Relationship { ledger(after: $after, first: 100) {
  edges { node { relationshipId seq type payload actorId occurredAt recordedAt prevHash hash } } pageInfo { hasNextPage endCursor } } } } }`;

/** The whole ledger of a relationship as a party reads it, in the form it was hashed. */
export async function fetchLedger(firm: TestFirm, relationshipId: string): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = ok(await firm.gql(LEDGER, { id: relationshipId, after }));
    const conn: any = data.node.ledger;
    for (const { node } of conn.edges) {
      const { actorId, ...rest } = node;
      out.push({ ...rest, actorFirmId: actorId } as LedgerEntry);
    }
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}

export interface BatchEntry {
  type: EntryType;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** Records entries through recordEntries (all or nothing); fails the test on any error. */
export async function record(firm: TestFirm, relationshipId: string, entries: BatchEntry[]): Promise<void> {
  ok(
    await firm.gql(
      `mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { entries { seq } errors { code message path } } }`,
      { i: { relationshipId, entries } },
    ),
    'recordEntries',
  );
}
