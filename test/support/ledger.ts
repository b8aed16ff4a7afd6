import type { EntryType, LedgerEntry } from '@trustledger/schema';
import { ok, type TestClock, type TestFirm } from './server.ts';

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

/**
 * The side that may record an entry (DESIGN §2a, AUTHORSHIP), in a history whose entries get seq
 * `firstSeq`, `firstSeq + 1`, …: a promise and its reschedules by its promisor, its keep by the
 * promisor (a claim), a break by the beneficiary, an interaction by who initiated it, a complaint's
 * response and resolution by the side complained against, anything else by the supplier.
 */
export function authorOf(entry: BatchEntry, history: readonly BatchEntry[], firstSeq = 3): 'SUPPLIER' | 'CLIENT' {
  const p = entry.payload as Record<string, any>;
  const at = (seq: number) => history[seq - firstSeq];
  const other = (s: 'SUPPLIER' | 'CLIENT') => (s === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER');
  switch (entry.type) {
    case 'PROMISE_MADE':
      return p.promisor;
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
      return at(p.promiseSeq).payload.promisor as 'SUPPLIER' | 'CLIENT';
    case 'PROMISE_BROKEN':
      return other(at(p.promiseSeq).payload.promisor as 'SUPPLIER' | 'CLIENT');
    case 'INTERACTION_RECORDED':
      return p.initiatedBy;
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED':
      return other(at(p.interactionSeq).payload.initiatedBy as 'SUPPLIER' | 'CLIENT');
    case 'REPRESENTATIVE_HANDOVER':
      return p.side;
    default:
      return 'SUPPLIER';
  }
}

/**
 * Records a history entry by entry, each by the side that may author it (authorOf) and, with a
 * clock, at the time it happened by the server's clock too (not back-dated), so notice and speed
 * count as they would have live. Sets the clock back to the real time at the end.
 */
export async function replay(
  parties: { supplier: TestFirm; client: TestFirm },
  relationshipId: string,
  entries: readonly BatchEntry[],
  clock?: TestClock,
  firstSeq = 3,
): Promise<void> {
  for (const e of entries) {
    clock?.at(e.occurredAt);
    const by = authorOf(e, entries, firstSeq) === 'SUPPLIER' ? parties.supplier : parties.client;
    await record(by, relationshipId, [e]);
  }
  clock?.real();
}
