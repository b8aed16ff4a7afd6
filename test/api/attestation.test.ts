/**
 * Confirmation, dispute, withdrawal and voiding of entries: the entry's status (STANDING,
 * CONFIRMED, DISPUTED, VOIDED), who may do what, and the effect on projections.
 */
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, fails, head, must, node, promise } from '../support/api.ts';
import { activeRelationship, startTestServer } from '../support/server.ts';

const TARGET = 'target { id seq type status }';

test('the other side confirms an entry: CONFIRMED', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(30) }, 'entry { id status }');
  expect(p.entry.status).toBe('STANDING');
  const own = await fails(ts.supplier, 'confirmEntry', { entryId: p.entry.id });
  expect(own).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'entryId'] });
  const confirmed = await must(ts.client, 'confirmEntry', { entryId: p.entry.id }, `${TARGET} ${ENTRY}`);
  expect(confirmed.target).toMatchObject({ id: p.entry.id, seq: 3, type: 'PROMISE_MADE', status: 'CONFIRMED' });
  expect(confirmed.entry).toMatchObject({ type: 'ENTRY_CONFIRMED', payload: { entrySeq: 3 }, actorId: ts.client.rawId, status: 'STANDING' });
  expect(await node(ts.supplier, p.entry.id, '... on LedgerEntry { status }')).toEqual({ __typename: 'LedgerEntry', status: 'CONFIRMED' });
});

test('a dispute makes an entry DISPUTED; withdrawing it makes it STANDING again', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const contact = await must(ts.supplier, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, 'entry { id }');
  const entryId = contact.entry.id;

  const ownDispute = await fails(ts.supplier, 'disputeEntry', { entryId, reason: 'no' });
  expect(ownDispute).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'entryId'] });
  expect(ownDispute.message).toMatch(/void it instead/);

  const disputed = await must(ts.client, 'disputeEntry', { entryId, reason: 'We never called you' }, `${TARGET} ${ENTRY}`);
  expect(disputed.target.status).toBe('DISPUTED');
  expect(disputed.entry).toMatchObject({ type: 'ENTRY_DISPUTED', payload: { entrySeq: 3, reason: 'We never called you' } });

  const before = await head(ts, rel);
  const twice = await fails(ts.client, 'disputeEntry', { entryId, reason: 'Again' });
  expect(twice).toMatchObject({ __typename: 'ConflictError' });
  const confirmWhileDisputed = await fails(ts.client, 'confirmEntry', { entryId });
  expect(confirmWhileDisputed).toMatchObject({ __typename: 'ConflictError' });
  const notTheirs = await fails(ts.supplier, 'withdrawDispute', { entryId });
  expect(notTheirs).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'entryId'] });
  expect(await head(ts, rel)).toEqual(before);

  const withdrawn = await must(ts.client, 'withdrawDispute', { entryId, reason: 'Found the call log' }, `${TARGET} ${ENTRY}`);
  expect(withdrawn.target.status).toBe('STANDING');
  expect(withdrawn.entry).toMatchObject({ type: 'DISPUTE_WITHDRAWN', payload: { entrySeq: 3, reason: 'Found the call log' } });
  expect((await must(ts.client, 'confirmEntry', { entryId }, TARGET)).target.status).toBe('CONFIRMED');
});

test('the recorder voids its own entry: VOIDED, still in the chain, gone from the projections', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const made = await node(ts.supplier, p.id, '... on Promise { history { id } }');
  const entryId = made.history[0].id;

  const notYours = await fails(ts.client, 'voidEntry', { entryId, reason: 'Wrong' });
  expect(notYours).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'entryId'] });

  const voided = await must(ts.supplier, 'voidEntry', { entryId, reason: 'Recorded against the wrong client' }, `${TARGET} ${ENTRY}`);
  expect(voided.target).toMatchObject({ seq: p.seq, type: 'PROMISE_MADE', status: 'VOIDED' });
  expect(voided.entry).toMatchObject({ type: 'ENTRY_VOIDED', payload: { entrySeq: p.seq, reason: 'Recorded against the wrong client' } });

  // Still in the ledger, marked VOIDED; the promise is voided and no longer listed.
  const rels = await node(ts.client, rel, '... on Relationship { head { seq } ledger { edges { node { seq type status } } } promises { edges { node { id } } } }');
  expect(rels.ledger.edges.map((e: { node: unknown }) => e.node)).toEqual([
    { seq: 1, type: 'RELATIONSHIP_PROPOSED', status: 'STANDING' },
    { seq: 2, type: 'RELATIONSHIP_ACCEPTED', status: 'STANDING' },
    { seq: 3, type: 'PROMISE_MADE', status: 'VOIDED' },
    { seq: 4, type: 'ENTRY_VOIDED', status: 'STANDING' },
  ]);
  expect(rels.promises.edges).toEqual([]);
  expect(await node(ts.client, p.id, '... on Promise { voided }')).toMatchObject({ voided: true });

  // A voided entry cannot be voided, disputed or kept again.
  const before = await head(ts, rel);
  expect(await fails(ts.supplier, 'voidEntry', { entryId, reason: 'again' })).toMatchObject({ __typename: 'ConflictError' });
  expect(await fails(ts.client, 'disputeEntry', { entryId, reason: 'late' })).toMatchObject({ __typename: 'ConflictError' });
  expect(await fails(ts.supplier, 'keepPromise', { promiseId: p.id })).toMatchObject({ __typename: 'NotFoundError', path: ['input', 'promiseId'] });
  expect(await head(ts, rel)).toEqual(before);
});

test('bookkeeping entries (acceptance, confirmations) cannot be confirmed, disputed or voided', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const ledger = await node(ts.supplier, rel, '... on Relationship { ledger { edges { node { id type } } } }');
  const accepted = ledger.ledger.edges[1].node;
  expect(accepted.type).toBe('RELATIONSHIP_ACCEPTED');
  const err = await fails(ts.supplier, 'disputeEntry', { entryId: accepted.id, reason: 'no' });
  expect(err).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entryId'] });
  expect(err.message).toMatch(/cannot be confirmed, disputed or voided/);
});

test('voiding a follow-up entry rolls its projection back: a kept promise reopens, a response and a handover are undone', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const kept = await must(ts.supplier, 'keepPromise', { promiseId: p.id }, 'entry { id }');
  const reopened = await must(ts.supplier, 'voidEntry', { entryId: kept.entry.id, reason: 'Recorded too early' }, 'target { status }');
  expect(reopened.target.status).toBe('VOIDED');
  expect(await node(ts.client, p.id, '... on Promise { state outcome resolvedAt }')).toMatchObject({ state: 'OPEN', outcome: null, resolvedAt: null });
  // It can be kept again, for real this time.
  expect((await must(ts.supplier, 'keepPromise', { promiseId: p.id }, 'promise { state }')).promise.state).toBe('KEPT');

  const complaint = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT' }, 'interaction { id }');
  const response = await must(ts.supplier, 'respondToComplaint', { interactionId: complaint.interaction.id }, 'entry { id } interaction { firstResponseAt }');
  expect(response.interaction.firstResponseAt).not.toBeNull();
  await must(ts.supplier, 'voidEntry', { entryId: response.entry.id, reason: 'Wrong complaint' });
  expect(await node(ts.client, complaint.interaction.id, '... on Interaction { firstResponseAt }')).toMatchObject({ firstResponseAt: null });

  await must(ts.supplier, 'handOverRepresentative', { relationshipId: rel, side: 'SUPPLIER', name: 'Dana Levi' });
  const second = await must(ts.supplier, 'handOverRepresentative', { relationshipId: rel, side: 'SUPPLIER', name: 'Typo Name' }, 'entry { id }');
  await must(ts.supplier, 'voidEntry', { entryId: second.entry.id, reason: 'Typo' });
  expect((await node(ts.client, rel, '... on Relationship { representatives { side name } }')).representatives).toEqual([{ side: 'SUPPLIER', name: 'Dana Levi' }]);
});

test('withdrawing a dispute that does not exist is a ConflictError', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const c = await must(ts.supplier, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, 'entry { id }');
  const before = await head(ts, rel);
  const err = await fails(ts.client, 'withdrawDispute', { entryId: c.entry.id });
  expect(err).toMatchObject({ __typename: 'ConflictError', path: ['input', 'entryId'] });
  expect(err.message).toMatch(/not under dispute/);
  expect(await head(ts, rel)).toEqual(before);
});
