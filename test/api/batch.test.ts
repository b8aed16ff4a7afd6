/**
 * recordEntries: all or nothing. One bad entry anywhere writes none and the error points at it;
 * more than 1000 entries is refused; a good batch may refer to its own earlier entries by seq.
 */
import { expect, test } from 'vitest';
import { daysFromNow, fails, head, ledger, must, node } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

const contact = { type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } };
const made = (due = daysFromNow(30)) => ({ type: 'PROMISE_MADE', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver', dueAt: due } });

async function interactionsOf(ts: TestServer, rel: string) {
  return (await node(ts.supplier, rel, '... on Relationship { interactions { edges { node { id } } } promises { edges { node { id } } } }'));
}

test('one bad entry in the middle of a batch: none is written, the error names that entry and field', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const entries = [contact, made(), { type: 'INTERACTION_RECORDED', payload: { kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 9 } }, contact, contact];
  const err = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries }, 'entries { seq }');
  expect(err).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'entries', '2', 'payload', 'score'] });
  expect(err.message).toMatch(/Entry 2/);
  expect(err.message).toMatch(/from 1 to 5/);
  expect(await head(ts, rel)).toEqual(before);
  const after = await interactionsOf(ts, rel);
  expect(after.interactions.edges).toEqual([]);
  expect(after.promises.edges).toEqual([]);
});

test('a rule broken inside the batch (a promise kept twice) rolls back the whole batch', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const entries = [made(), { type: 'PROMISE_KEPT', payload: { promiseSeq: 3 } }, contact, { type: 'PROMISE_KEPT', payload: { promiseSeq: 3 } }, contact];
  const err = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries });
  expect(err).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', path: ['input', 'entries', '3', 'payload', 'promiseSeq'] });
  expect(err.message).toMatch(/Entry 3: .*already kept/);
  expect(await head(ts, rel)).toEqual(before);
  expect((await interactionsOf(ts, rel)).promises.edges).toEqual([]);
});

test('a reference to an entry that does not exist, a bad occurredAt and an unknown payload field are located', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const dangling = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: [contact, { type: 'PROMISE_KEPT', payload: { promiseSeq: 40 } }] });
  expect(dangling).toMatchObject({ __typename: 'NotFoundError', path: ['input', 'entries', '1', 'payload', 'promiseSeq'] });
  expect(dangling.message).toMatch(/No promise was made at entry 40/);
  const badTime = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: [contact, contact, { ...contact, occurredAt: '2026-13-01T00:00:00Z' }] });
  expect(badTime).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entries', '2', 'occurredAt'] });
  expect(badTime.message).toMatch(/not an RFC 3339 date-time/);
  const extra = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', mood: 'happy' } }] });
  expect(extra).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entries', '0', 'payload'] });
  expect(extra.message).toMatch(/unknown field mood/);
  const proposedAgain = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: [{ type: 'RELATIONSHIP_PROPOSED', payload: { supplierFirmId: ts.supplier.rawId, clientFirmId: ts.outsider.rawId } }] });
  expect(proposedAgain).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entries', '0', 'type'] });
  const empty = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: [] });
  expect(empty).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entries'] });
  expect(await head(ts, rel)).toEqual(before);
});

test('a batch of more than 1000 entries is refused; nothing is written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const err = await fails(ts.supplier, 'recordEntries', { relationshipId: rel, entries: Array.from({ length: 1001 }, () => contact) });
  expect(err).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'entries'] });
  expect(err.message).toMatch(/at most 1000 entries \(got 1001\)/);
  expect(await head(ts, rel)).toEqual(before);
});

test('a batch of exactly 1000 entries is accepted', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const out = await must(ts.supplier, 'recordEntries', { relationshipId: rel, entries: Array.from({ length: 1000 }, () => contact) }, 'relationship { head { seq } }');
  expect(out.relationship.head.seq).toBe(1002);
});

test('a good batch of 300 entries refers to its own promises by seq and settles them', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  const at = (i: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString();
  // 100 promises made first (seq 3..102), then each settled (seq 103..202), then 100 interactions.
  const entries: { type: string; occurredAt: string; payload: Record<string, unknown> }[] = [];
  for (let i = 0; i < 100; i++)
    entries.push({ type: 'PROMISE_MADE', occurredAt: at(i), payload: { promisor: 'SUPPLIER', kind: i % 2 ? 'INSTALLATION' : 'DELIVERY', description: `Order ${i}`, dueAt: at(200) } });
  for (let i = 0; i < 100; i++) {
    const promiseSeq = 3 + i;
    entries.push(
      i % 3 === 0
        ? { type: 'PROMISE_BROKEN', occurredAt: at(150), payload: { promiseSeq, reason: 'Cash-flow problem' } }
        : i % 3 === 1
          ? { type: 'PROMISE_KEPT', occurredAt: at(150), payload: { promiseSeq } }
          : { type: 'PROMISE_RESCHEDULED', occurredAt: at(150), payload: { promiseSeq, newDueAt: at(400), reason: 'Bank holiday' } },
    );
  }
  for (let i = 0; i < 100; i++) entries.push({ type: 'INTERACTION_RECORDED', occurredAt: at(300 + i), payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: i } });

  const out = await must(ts.supplier, 'recordEntries', { relationshipId: rel, entries }, 'entries { seq type payload } relationship { head { seq } }');
  expect(out.relationship.head.seq).toBe(302);
  expect(out.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 3));
  expect(out.entries[101]).toMatchObject({ seq: 104, type: 'PROMISE_KEPT', payload: { promiseSeq: 4 } });

  const count = async (state: string) => {
    let n = 0;
    let after: string | null = null;
    for (;;) {
      const page: any = ok(
        await ts.client.gql(`query($id: ID!, $after: String) { node(id: $id) { ... on Relationship { promises(first: 100, after: $after, state: ${state}) { pageInfo { hasNextPage endCursor } edges { node { outcome dueAt originalDueAt } } } } } }`, { id: rel, after }),
      ).node.promises;
      n += page.edges.length;
      if (state === 'OPEN') for (const e of page.edges) expect(e.node.dueAt).not.toBe(e.node.originalDueAt);
      if (!page.pageInfo.hasNextPage) return n;
      after = page.pageInfo.endCursor;
    }
  };
  expect(await count('BROKEN')).toBe(34);
  expect(await count('KEPT')).toBe(33);
  expect(await count('OPEN')).toBe(33);
  expect((await ledger(ts, rel)).length).toBe(302);
});

test('a batch leaves the same promise and complaint rows as the same entries recorded one per request', async () => {
  await using ts = await startTestServer();
  const at = (h: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + h * 3_600_000).toISOString();
  // seq 3..12: a promise rescheduled then kept; one made then voided by its recorder (not due yet);
  // one made then broken; a complaint answered then resolved: several follow-ups of one subject in one batch.
  const entries = [
    { type: 'PROMISE_MADE', occurredAt: at(0), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: at(100) } },
    { type: 'PROMISE_RESCHEDULED', occurredAt: at(50), payload: { promiseSeq: 3, newDueAt: at(200), reason: 'Strike' } },
    { type: 'PROMISE_KEPT', occurredAt: at(150), payload: { promiseSeq: 3 } },
    { type: 'PROMISE_MADE', occurredAt: at(1), payload: { promisor: 'SUPPLIER', kind: 'OTHER', description: 'Typo', dueAt: daysFromNow(30) } },
    { type: 'ENTRY_VOIDED', occurredAt: at(2), payload: { entrySeq: 6, reason: 'Recorded twice' } },
    { type: 'PROMISE_MADE', occurredAt: at(10), payload: { promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'Lobby', dueAt: at(300) } },
    { type: 'PROMISE_BROKEN', occurredAt: at(20), payload: { promiseSeq: 8, reason: 'No installer' } },
    { type: 'INTERACTION_RECORDED', occurredAt: at(30), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Late' } },
    { type: 'COMPLAINT_RESPONDED', occurredAt: at(31), payload: { interactionSeq: 10 } },
    { type: 'COMPLAINT_RESOLVED', occurredAt: at(40), payload: { interactionSeq: 10 } },
  ];
  const ROWS = `... on Relationship {
    promises(first: 10) { edges { node { description state outcome madeAt originalDueAt dueAt resolvedAt voided } } }
    interactions(first: 10) { edges { node { kind firstResponseAt resolvedAt } } } }`;
  const batched = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  await must(ts.supplier, 'recordEntries', { relationshipId: batched, entries });
  const single = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  for (const entry of entries) await must(ts.supplier, 'recordEntries', { relationshipId: single, entries: [entry] });
  const rows = await node(ts.supplier, batched, ROWS);
  expect(rows).toEqual(await node(ts.supplier, single, ROWS));
  // And they are what the entries say.
  const promises = rows.promises.edges.map((e: any) => e.node);
  expect(promises.find((p: any) => p.description === 'Chairs')).toMatchObject({ state: 'KEPT', originalDueAt: at(100), dueAt: at(200), resolvedAt: at(150) });
  expect(promises.find((p: any) => p.description === 'Lobby')).toMatchObject({ state: 'BROKEN', resolvedAt: at(20) });
  expect(promises.find((p: any) => p.description === 'Typo')?.voided ?? true).toBe(true);
  expect(rows.interactions.edges.map((e: any) => e.node)).toContainEqual({ kind: 'COMPLAINT', firstResponseAt: at(31), resolvedAt: at(40) });
});
