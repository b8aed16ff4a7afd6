/**
 * Scoring policy: proposePolicy, acceptPolicy; only the other side accepts; a newer accepted
 * policy supersedes the older one; invalid overrides are typed validation errors.
 */
import { expect, test } from 'vitest';
import { ENTRY, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, startTestServer } from '../support/server.ts';

const POLICY = 'policy { id status proposedBy policy }';

test('a policy is proposed by one side and accepted by the other; a later one supersedes it', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const proposed = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 2, firstResponseHours: 8 } }, `${POLICY} ${ENTRY}`);
  expect(proposed.policy).toMatchObject({ status: 'PROPOSED', proposedBy: 'SUPPLIER', policy: { graceDays: 2, firstResponseHours: 8 } });
  expect(proposed.entry).toMatchObject({ type: 'POLICY_PROPOSED', payload: { policy: { graceDays: 2, firstResponseHours: 8 } } });

  const before = await head(ts, rel);
  const own = await fails(ts.supplier, 'acceptPolicy', { policyId: proposed.policy.id });
  expect(own).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'policyId'] });
  expect(own.message).toMatch(/other side/);
  expect(await head(ts, rel)).toEqual(before);

  const accepted = await must(ts.client, 'acceptPolicy', { policyId: proposed.policy.id }, `${POLICY} ${ENTRY}`);
  expect(accepted.policy).toMatchObject({ id: proposed.policy.id, status: 'ACCEPTED' });
  expect(accepted.entry).toMatchObject({ type: 'POLICY_ACCEPTED', payload: { policySeq: proposed.entry.seq } });
  const twice = await fails(ts.supplier, 'acceptPolicy', { policyId: proposed.policy.id });
  expect(twice).toMatchObject({ __typename: 'ConflictError' });

  const second = await must(ts.client, 'proposePolicy', { relationshipId: rel, policy: { weights: { reliability: 0.6 } } }, POLICY);
  await must(ts.supplier, 'acceptPolicy', { policyId: second.policy.id });
  const policies = await node(ts.client, rel, '... on Relationship { policies { id status proposedBy } }');
  expect(policies.policies).toEqual([
    { id: proposed.policy.id, status: 'SUPERSEDED', proposedBy: 'SUPPLIER' },
    { id: second.policy.id, status: 'ACCEPTED', proposedBy: 'CLIENT' },
  ]);
  expect(await node(ts.supplier, second.policy.id, '... on PolicyProposal { status }')).toEqual({ __typename: 'PolicyProposal', status: 'ACCEPTED' });
});

test('an invalid policy override is a validation error at its path; nothing written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const negative = await fails(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { weights: { reliability: -1 } } });
  expect(negative).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'policy', 'weights', 'reliability'] });
  const unknown = await fails(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { colour: 'blue' } });
  expect(unknown).toMatchObject({ __typename: 'ValidationError', path: ['input', 'policy'] });
  expect(unknown.message).toMatch(/unknown field colour/);
  expect(await head(ts, rel)).toEqual(before);
});
