/**
 * Idempotency keys: a retry with the same key and input returns the first result and records
 * nothing; the same key with other input is a ConflictError and records nothing.
 */
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, fails, head, ledger, must, mutate, promise } from '../support/api.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

test('retrying makePromise with the same key and input returns the same promise and entry; the ledger does not grow', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const input = { relationshipId: rel, promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'Install the lobby', dueAt: daysFromNow(90), idempotencyKey: 'po-1042-install' };
  const first = await must(ts.supplier, 'makePromise', input, `promise { id dueAt } ${ENTRY}`);
  const headAfterFirst = await head(ts, rel);
  expect(headAfterFirst).toEqual({ seq: 3, hash: first.entry.hash });

  const retry = await must(ts.supplier, 'makePromise', input, `promise { id dueAt } ${ENTRY}`);
  expect(retry).toEqual(first);
  expect(await head(ts, rel)).toEqual(headAfterFirst);
  expect(await ledger(ts, rel)).toHaveLength(3);
  expect((await ts.supplier.gql('query($id: ID!) { node(id: $id) { ... on Relationship { promises { edges { node { id } } } } } }', { id: rel })).data.node.promises.edges).toHaveLength(1);
});

test('the same key with other input is a ConflictError; nothing is written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const input = { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: 'Called to say thanks', idempotencyKey: 'crm-call-77' };
  await must(ts.client, 'recordInteraction', input, 'interaction { id }');
  const before = await head(ts, rel);

  const other = await fails(ts.client, 'recordInteraction', { ...input, note: 'Called to complain' }, 'interaction { id } entry { id }');
  expect(other).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', path: ['input', 'idempotencyKey'] });
  expect(other.message).toMatch(/idempotency key was already used with different input/);
  // Nor may the key be reused for another mutation.
  const otherMutation = await fails(ts.client, 'makePromise', {
    relationshipId: rel, promisor: 'CLIENT', kind: 'PAYMENT', description: 'Pay', dueAt: daysFromNow(5), idempotencyKey: 'crm-call-77',
  });
  expect(otherMutation).toMatchObject({ __typename: 'ConflictError', path: ['input', 'idempotencyKey'] });
  expect(await head(ts, rel)).toEqual(before);

  // Keys belong to a firm: the supplier may use the same string for its own request.
  await must(ts.supplier, 'recordInteraction', { ...input, note: 'Supplier side' });
  expect((await head(ts, rel)).seq).toBe(before.seq + 1);
});

test('a retried state transition (keepPromise) returns the first result instead of "already kept"', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const input = { promiseId: p.id, idempotencyKey: 'keep-1' };
  const first = await must(ts.client, 'keepPromise', input, `promise { state outcome } ${ENTRY}`);
  const h = await head(ts, rel);
  const retry = await must(ts.client, 'keepPromise', input, `promise { state outcome } ${ENTRY}`);
  expect(retry).toEqual(first);
  expect(await head(ts, rel)).toEqual(h);
  // Without the key, the same request is a conflict: the promise is already kept.
  expect(await fails(ts.client, 'keepPromise', { promiseId: p.id })).toMatchObject({ __typename: 'ConflictError' });
});

test('concurrent retries with one key record once', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const input = { relationshipId: rel, kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 12, idempotencyKey: 'order-9001' };
  const results = await Promise.all(Array.from({ length: 8 }, () => mutate(ts.client, 'recordInteraction', input, 'interaction { id } entry { seq hash }')));
  const payloads = results.map((r) => ok(r, 'recordInteraction'));
  expect(new Set(payloads.map((p) => p.interaction.id)).size).toBe(1);
  expect(new Set(payloads.map((p) => p.entry.hash)).size).toBe(1);
  expect((await head(ts, rel)).seq).toBe(3);
});

test('a retried recordEntries batch returns the same entries and records nothing', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const input = {
    relationshipId: rel,
    idempotencyKey: 'sync-2026-03-01',
    entries: [
      { type: 'INTERACTION_RECORDED', payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 3 } },
      { type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } },
    ],
  };
  const first = await must(ts.supplier, 'recordEntries', input, 'entries { seq hash }');
  const h = await head(ts, rel);
  expect(await must(ts.supplier, 'recordEntries', input, 'entries { seq hash }')).toEqual(first);
  expect(await head(ts, rel)).toEqual(h);
  const changed = await fails(ts.supplier, 'recordEntries', { ...input, entries: input.entries.slice(0, 1) });
  expect(changed).toMatchObject({ __typename: 'ConflictError', path: ['input', 'idempotencyKey'] });
  expect(await head(ts, rel)).toEqual(h);
});

test('an idempotency key longer than 200 characters is a validation error', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const err = await fails(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', idempotencyKey: 'k'.repeat(201) });
  expect(err).toMatchObject({ __typename: 'ValidationError', path: ['input', 'idempotencyKey'] });
  expect(await head(ts, rel)).toEqual(before);
});

test('a request that failed does not use up its key: the corrected retry with the same key is recorded', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const bad = await fails(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 9, idempotencyKey: 'pulse-1' });
  expect(bad).toMatchObject({ __typename: 'ValidationError', path: ['input', 'score'] });
  const good = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 4, idempotencyKey: 'pulse-1' }, 'interaction { score }');
  expect(good.interaction.score).toBe(4);
  expect((await head(ts, rel)).seq).toBe(3);
});
