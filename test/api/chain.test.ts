/**
 * The hash chain: a relationship with 200 mixed entries, read back page by page through
 * `ledger(after:, first:)`, verifies with checkChain and hashEntry from @trustledger/schema,
 * from exactly what the API returns.
 */
import { type ChainEntry, checkChain, GENESIS_HASH, hashEntry } from '@trustledger/schema';
import { expect, test } from 'vitest';
import { type ApiEntry, head, ledger, must, node } from '../support/api.ts';
import { activeRelationship, startTestServer } from '../support/server.ts';

const at = (hours: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + hours * 3_600_000).toISOString();
const toChain = (e: ApiEntry): ChainEntry => ({
  relationshipId: e.relationshipId,
  seq: e.seq,
  type: e.type,
  payload: e.payload,
  actorFirmId: e.actorId,
  occurredAt: e.occurredAt,
  recordedAt: e.recordedAt,
  prevHash: e.prevHash,
  hash: e.hash,
});

test('200 mixed entries form an unbroken chain that anyone can recompute from the API', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');

  // A batch from the supplier: promises and their outcomes, interactions of every kind,
  // a goal with a metric and measurements, handovers; odd numbers and non-ASCII text included.
  const batch: { type: string; occurredAt: string; payload: Record<string, unknown> }[] = [];
  let seq = 2;
  const add = (type: string, payload: Record<string, unknown>) => {
    batch.push({ type, occurredAt: at(batch.length), payload });
    return ++seq;
  };
  const goalSeq = add('GOAL_PROPOSED', {
    title: 'Deliveries on time — יעד משלוחים',
    metrics: [{ name: 'On time', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80.25, accountable: 'SUPPLIER' }],
  });
  for (let i = 0; batch.length < 140; i++) {
    // Every third promise is the client's, written by the supplier: a proposal, settled by nobody yet.
    const proposal = i % 3 === 0;
    const p = add('PROMISE_MADE', {
      promisor: proposal ? 'CLIENT' : 'SUPPLIER',
      kind: ['DELIVERY', 'PAYMENT', 'INSTALLATION', 'RESPONSE', 'OTHER'][i % 5],
      description: `Order #${i} — 🪑 × ${i + 1}`,
      dueAt: at(batch.length + 24),
      ...(i % 2 ? { amount: { amount: 1234.5 + i / 100, currency: 'EUR' } } : {}),
    });
    if (proposal) void 0;
    else if (i % 4 === 0) add('PROMISE_KEPT', { promiseSeq: p, inFull: i % 8 !== 0 });
    else if (i % 4 === 1) add('PROMISE_RESCHEDULED', { promiseSeq: p, newDueAt: at(batch.length + 100), reason: 'Customs hold' });
    else if (i % 4 === 2) add('PROMISE_BROKEN', { promiseSeq: p, reason: 'Out of stock' });
    add('INTERACTION_RECORDED', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 0.1 * (i + 1) + 1e-7 });
    add('INTERACTION_RECORDED', { kind: 'SATISFACTION', initiatedBy: 'SUPPLIER', score: (i % 5) + 1, note: 'שביעות רצון "גבוהה"\n' });
    add('MEASUREMENT_RECORDED', { metricSeq: goalSeq, metricIndex: 0, value: 80 + (i % 20) });
    if (i % 10 === 0) add('REPRESENTATIVE_HANDOVER', { side: 'SUPPLIER', name: `Rep ${i}` });
  }
  const recorded = await must(ts.supplier, 'recordEntries', { relationshipId: rel, entries: batch }, 'entries { seq } relationship { head { seq } }');
  expect(recorded.entries).toHaveLength(batch.length);
  expect(recorded.relationship.head.seq).toBe(2 + batch.length);

  // Entries from the client through single mutations: acceptance, complaints, disputes, confirmations.
  await must(ts.client, 'acceptGoal', { goalId: (await node(ts.client, rel, '... on Relationship { goals { edges { node { id } } } }')).goals.edges[0].node.id });
  const entries = await ledger(ts, rel, ts.client);
  const measurements = entries.filter((e) => e.type === 'MEASUREMENT_RECORDED');
  const proposed = (await node(ts.client, rel, '... on Relationship { promises(first: 100, state: PROPOSED) { edges { node { id } } } }')).promises.edges;
  expect(proposed.length).toBeGreaterThan(0);
  await must(ts.client, 'acceptPromise', { promiseId: proposed[0].node.id });
  await must(ts.client, 'disputeEntry', { entryId: measurements[0].id, reason: 'Our count differs' });
  await must(ts.client, 'confirmEntry', { entryId: measurements[1].id });
  await must(ts.client, 'disputeEntry', { entryId: measurements[2].id, reason: 'Wrong month' });
  await must(ts.client, 'withdrawDispute', { entryId: measurements[2].id });
  await must(ts.supplier, 'voidEntry', { entryId: measurements[3].id, reason: 'Duplicate' });
  for (let i = 0; (await head(ts, rel)).seq < 200; i++) {
    const c = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: `Complaint ${i}` }, 'interaction { id }');
    if ((await head(ts, rel)).seq < 200) await must(ts.supplier, 'respondToComplaint', { interactionId: c.interaction.id, note: 'On it' });
  }

  const all = await ledger(ts, rel, ts.client);
  expect(all).toHaveLength(200);
  expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  expect(new Set(all.map((e) => e.type)).size).toBeGreaterThanOrEqual(15);
  expect(new Set(all.map((e) => e.actorId))).toEqual(new Set([ts.supplier.rawId, ts.client.rawId]));
  expect(all.every((e) => e.relationshipId === all[0].relationshipId)).toBe(true);
  expect(all[0].prevHash).toBe(GENESIS_HASH);

  const chain = all.map(toChain);
  for (const e of chain) expect(hashEntry(e), `hash of entry ${e.seq}`).toBe(e.hash);
  const checked = checkChain(chain);
  expect(checked).toEqual({ ok: true, head: { seq: 200, hash: chain[199].hash } });
  expect(await head(ts, rel, ts.client)).toEqual({ seq: 200, hash: chain[199].hash });

  // The supplier reads the very same chain.
  expect((await ledger(ts, rel, ts.supplier)).map((e) => e.hash)).toEqual(chain.map((e) => e.hash));

  // A page read later extends a head kept earlier: check from seq 101 against entry 100's hash.
  expect(checkChain(chain.slice(100), { seq: 101, prevHash: chain[99].hash })).toMatchObject({ ok: true, head: { seq: 200 } });

  // And the check does catch tampering, a reordering or a gap.
  const tampered = chain.map((e) => (e.seq === 57 ? { ...e, payload: { ...(e.payload as object), note: 'edited' } } : e));
  expect(checkChain(tampered)).toMatchObject({ ok: false, seq: 57, reason: 'HASH_MISMATCH' });
  expect(checkChain([...chain.slice(0, 10), ...chain.slice(11)])).toMatchObject({ ok: false, seq: 12, reason: 'SEQ_GAP' });
});

test('ledger pages by Relay cursor (after: endCursor), and afterSeq starts after a seq', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  for (let i = 0; i < 5; i++) await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' });
  const select = 'pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { seq } }';
  const page = async (args: string) => (await node(ts.client, rel, `... on Relationship { ledger(${args}) { ${select} } }`)).ledger;
  const seqs = (p: { edges: { node: { seq: number } }[] }) => p.edges.map((e) => e.node.seq);
  // A client's loop: feed endCursor back as after, as graphql-request loops, urql and Apollo do.
  const p1 = await page('first: 3');
  expect(seqs(p1)).toEqual([1, 2, 3]);
  expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  expect(typeof p1.pageInfo.endCursor).toBe('string');
  const p2 = await page(`first: 3, after: ${JSON.stringify(p1.pageInfo.endCursor)}`);
  expect(seqs(p2)).toEqual([4, 5, 6]);
  expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  // Any edge's cursor resumes right after that edge.
  expect(seqs(await page(`first: 2, after: ${JSON.stringify(p1.edges[0].cursor)}`))).toEqual([2, 3]);
  const p3 = await page(`first: 3, after: ${JSON.stringify(p2.pageInfo.endCursor)}`);
  expect(seqs(p3)).toEqual([7]);
  expect(p3.pageInfo.hasNextPage).toBe(false);
  expect((await page(`first: 3, after: ${JSON.stringify(p3.pageInfo.endCursor)}`)).edges).toEqual([]);
  // afterSeq: resume after a pinned head's seq.
  expect(seqs(await page('first: 3, afterSeq: 3'))).toEqual([4, 5, 6]);
  expect(seqs(await page('afterSeq: 0'))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  // The cursor and afterSeq agree; a cursor from elsewhere, or both at once, is a worded error.
  const bad = await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { ledger(after: "42") { edges { cursor } } } } }`, { id: rel }, 'reader');
  expect(bad.errors?.[0]?.message).toMatch(/not a cursor this API returned/);
  const both = await ts.client.gql(
    `query($id: ID!, $c: String) { node(id: $id) { ... on Relationship { ledger(after: $c, afterSeq: 1) { edges { cursor } } } } }`,
    { id: rel, c: p1.pageInfo.endCursor },
    'reader',
  );
  expect(both.errors?.[0]?.message).toMatch(/not both/);
});
