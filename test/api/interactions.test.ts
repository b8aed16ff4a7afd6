/**
 * Interactions: recordInteraction of every kind, respondToComplaint, resolveComplaint, and the
 * interactions(kinds:) filter.
 */
import { expect, test } from 'vitest';
import { ENTRY, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, startTestServer } from '../support/server.ts';

const INTERACTION = 'interaction { id kind initiatedBy occurredAt note volume score firstResponseAt resolvedAt voided }';

test('recordInteraction of each kind stores what was recorded', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  const cases = [
    { firm: ts.client, input: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: 'Thanked us for the quick fix' } },
    { firm: ts.client, input: { kind: 'NEGATIVE_CONTACT', initiatedBy: 'CLIENT', note: 'Felt ignored on the last call' } },
    { firm: ts.client, input: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Three chairs arrived scratched' } },
    { firm: ts.supplier, input: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 42.5, note: 'PO 1042' } },
    { firm: ts.supplier, input: { kind: 'SATISFACTION', initiatedBy: 'SUPPLIER', score: 4 } },
    { firm: ts.supplier, input: { kind: 'ALTERNATIVE_SUPPLIER', initiatedBy: 'CLIENT', note: 'Asked a competitor for a quote' } },
  ];
  const ids: Record<string, string> = {};
  for (const [i, c] of cases.entries()) {
    const occurredAt = `2026-01-0${i + 1}T10:00:00Z`;
    const out = await must(c.firm, 'recordInteraction', { relationshipId: rel, occurredAt, ...c.input }, `${INTERACTION} ${ENTRY}`);
    expect(out.interaction).toEqual({
      id: expect.any(String),
      kind: c.input.kind,
      initiatedBy: c.input.initiatedBy,
      occurredAt: `2026-01-0${i + 1}T10:00:00.000Z`,
      note: c.input.note ?? null,
      volume: c.input.volume ?? null,
      score: c.input.score ?? null,
      firstResponseAt: null,
      resolvedAt: null,
      voided: false,
    });
    expect(out.entry).toMatchObject({ type: 'INTERACTION_RECORDED', payload: { kind: c.input.kind, initiatedBy: c.input.initiatedBy }, actorId: c.firm.rawId });
    ids[c.input.kind] = out.interaction.id;
  }

  const kinds = async (filter: string) =>
    (await node(ts.client, rel, `... on Relationship { interactions${filter} { edges { node { kind } } } }`)).interactions.edges.map(
      (e: { node: { kind: string } }) => e.node.kind,
    );
  expect(await kinds('')).toEqual(cases.map((c) => c.input.kind));
  expect(await kinds('(kinds: [COMPLAINT])')).toEqual(['COMPLAINT']);
  expect(await kinds('(kinds: [NEGATIVE_CONTACT, COMPLAINT])')).toEqual(['NEGATIVE_CONTACT', 'COMPLAINT']);
  expect(await kinds('(kinds: [ACTIVITY, SATISFACTION, ALTERNATIVE_SUPPLIER])')).toEqual(['ACTIVITY', 'SATISFACTION', 'ALTERNATIVE_SUPPLIER']);
  expect(await node(ts.supplier, ids.ACTIVITY, '... on Interaction { kind volume }')).toEqual({ __typename: 'Interaction', kind: 'ACTIVITY', volume: 42.5 });
});

test('a complaint gets a first response, then a resolution; each once', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  const complaint = (
    await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Invoice is wrong', occurredAt: '2026-03-01T08:00:00Z' }, INTERACTION)
  ).interaction;

  const responded = await must(ts.supplier, 'respondToComplaint', { interactionId: complaint.id, note: 'Looking into it', occurredAt: '2026-03-01T11:30:00+01:00' }, `${INTERACTION} ${ENTRY}`);
  expect(responded.interaction).toMatchObject({ kind: 'COMPLAINT', firstResponseAt: '2026-03-01T10:30:00.000Z', resolvedAt: null });
  expect(responded.entry).toMatchObject({ type: 'COMPLAINT_RESPONDED', payload: { note: 'Looking into it' }, actorId: ts.supplier.rawId });

  const before = await head(ts, rel);
  const again = await fails(ts.supplier, 'respondToComplaint', { interactionId: complaint.id });
  expect(again).toMatchObject({ __typename: 'ConflictError', path: ['input', 'interactionId'] });
  expect(again.message).toMatch(/already has a first response/);
  expect(await head(ts, rel)).toEqual(before);

  const resolved = await must(ts.supplier, 'resolveComplaint', { interactionId: complaint.id, note: 'Credit note issued', occurredAt: '2026-03-03T09:00:00Z' }, `${INTERACTION} ${ENTRY}`);
  expect(resolved.interaction).toMatchObject({ firstResponseAt: '2026-03-01T10:30:00.000Z', resolvedAt: '2026-03-03T09:00:00.000Z' });
  expect(resolved.entry.type).toBe('COMPLAINT_RESOLVED');
  const history = await node(ts.client, complaint.id, '... on Interaction { history { type } }');
  expect(history.history.map((e: { type: string }) => e.type)).toEqual(['INTERACTION_RECORDED', 'COMPLAINT_RESPONDED', 'COMPLAINT_RESOLVED']);

  // Only complaints take responses.
  const contact = (await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, 'interaction { id }')).interaction;
  const notComplaint = await fails(ts.supplier, 'respondToComplaint', { interactionId: contact.id });
  expect(notComplaint).toMatchObject({ __typename: 'NotFoundError', path: ['input', 'interactionId'] });
  expect(notComplaint.message).toMatch(/No complaint/);
});
