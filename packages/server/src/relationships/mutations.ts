import { notFound, validation } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { SideEnum } from '../graphql/enums.ts';
import { rawIdOf } from '../graphql/ids.ts';
import type { PolicyRow, RepresentativeRow } from '../store/index.ts';
import { defineMutation } from '../graphql/mutation.ts';
import { createRelationship, occurredAtOf } from '../ledger/append.ts';
import { defineEntryMutation, madeByEntry } from '../ledger/entry-mutation.ts';
import { EntryRef, entryLoadKey } from '../ledger/types.ts';
import { RelationshipRef } from './types.ts';
import { entityId } from '../ids.ts';
import { loadVisible } from '../graphql/node.ts';

export const RepresentativeRef = builder.objectRef<RepresentativeRow>('Representative').implement({
  description: 'Who represents a side. A change is recorded as a handover entry, so continuity is on record.',
  fields: (t) => ({
    side: t.field({ type: SideEnum, resolve: (r) => r.side }),
    name: t.exposeString('name'),
    since: t.field({ type: 'DateTime', resolve: (r) => r.since }),
  }),
});

export const PolicyProposalRef = builder.objectRef<PolicyRow>('PolicyProposal');
builder.node(PolicyProposalRef, {
  description: 'A scoring policy proposed by one side; it applies once the other side accepts it.',
  id: { resolve: (p) => entityId(p.relationshipId, p.seq) },
  loadMany: loadVisible((ctx) => ctx.loaders.policyProposal),
  fields: (t) => ({
    policy: t.field({ type: 'JSON', description: 'The override of the default policy.', resolve: (p) => JSON.parse(p.policy) }),
    proposedBy: t.field({ type: SideEnum, resolve: (p) => p.proposedBy }),
    status: t.string({ description: 'PROPOSED, ACCEPTED (in force) or SUPERSEDED.', resolve: (p) => p.status }),
  }),
});

builder.objectFields(RelationshipRef, (t) => ({
  representatives: t.field({ type: [RepresentativeRef], resolve: (r, _a, ctx) => ctx.loaders.representatives.load(r.id) }),
  policies: t.field({
    type: [PolicyProposalRef],
    description: 'Policy proposals in ledger order; the ACCEPTED one is in force over the defaults.',
    resolve: (r, _a, ctx) => ctx.loaders.policiesOf.load(r.id),
  }),
}));

defineMutation({
  name: 'proposeRelationship',
  description: 'Proposes a relationship with another firm, the viewer taking `viewerSide`. The other firm accepts it.',
  input: (t) => ({
    counterpartyId: t.id({ required: true, description: "The other firm's id (it shares it with you)." }),
    viewerSide: t.field({ type: SideEnum, required: true }),
    occurredAt: t.field({ type: 'DateTime', required: false }),
  }),
  payload: (t) => ({
    relationship: t.field({
      type: RelationshipRef,
      nullable: true,
      resolve: (p, _a, ctx) => (p.result ? ctx.loaders.relationship.load(p.result.relationship) : null),
    }),
    entry: t.field({ type: EntryRef, nullable: true, resolve: (p, _a, ctx) => (p.result ? ctx.loaders.entry.load(p.result.entry) : null) }),
  }),
  run: (tx, input, viewer, now) => {
    const counterparty = rawIdOf(String(input.counterpartyId), 'Firm');
    const firm = counterparty && tx.firm(counterparty);
    if (!firm) throw notFound('No firm with this id.', ['input', 'counterpartyId']);
    if (firm.id === viewer.firmId) throw validation('A firm cannot have a relationship with itself.', ['input', 'counterpartyId']);
    const occurredAt = occurredAtOf(input.occurredAt, now, ['input']);
    const { rel, entry } = createRelationship(tx, { firmId: viewer.firmId, side: input.viewerSide }, firm.id, occurredAt, now);
    return { relationship: rel.id, entry: entryLoadKey(entry) };
  },
});

const relationshipResult = { field: 'relationship', type: RelationshipRef, key: (e: { relationshipId: string }) => e.relationshipId };
const relationshipTarget = { field: 'relationshipId', typename: 'Relationship' };

defineEntryMutation({
  name: 'acceptRelationship',
  description: 'Accepts a relationship the other firm proposed; it becomes ACTIVE.',
  type: 'RELATIONSHIP_ACCEPTED',
  target: relationshipTarget,
  input: (t) => ({ relationshipId: t.id({ required: true }) }),
  payload: () => ({}),
  result: relationshipResult as never,
});

defineEntryMutation({
  name: 'endRelationship',
  description:
    'Ends a relationship (or declines a proposal). Its ledger closes to new records; the record stays, and entries recorded before the end can still be confirmed or disputed, and complaints answered.',
  type: 'RELATIONSHIP_ENDED',
  target: relationshipTarget,
  input: (t) => ({ relationshipId: t.id({ required: true }), reason: t.string({ required: false }) }),
  payload: (i) => ({ reason: i.reason ?? undefined }),
  result: relationshipResult as never,
});

defineEntryMutation({
  name: 'handOverRepresentative',
  description: "Names the viewer side's new representative (a handover, with continuity on record).",
  type: 'REPRESENTATIVE_HANDOVER',
  target: relationshipTarget,
  input: (t) => ({ relationshipId: t.id({ required: true }), side: t.field({ type: SideEnum, required: true }), name: t.string({ required: true }) }),
  payload: (i) => ({ side: i.side, name: i.name }),
  result: relationshipResult as never,
});

defineEntryMutation({
  name: 'proposePolicy',
  description: 'Proposes scoring-policy overrides (weights, half-lives, thresholds); the other side accepts them.',
  type: 'POLICY_PROPOSED',
  target: relationshipTarget,
  input: (t) => ({ relationshipId: t.id({ required: true }), policy: t.field({ type: 'JSON', required: true }) }),
  payload: (i) => ({ policy: i.policy }),
  result: { field: 'policy', type: PolicyProposalRef as never, key: madeByEntry },
});

defineEntryMutation({
  name: 'acceptPolicy',
  description: 'Accepts a policy the other side proposed; it is in force from now on.',
  type: 'POLICY_ACCEPTED',
  target: { field: 'policyId', typename: 'PolicyProposal' },
  input: (t) => ({ policyId: t.id({ required: true }) }),
  payload: (_i, key) => ({ policySeq: key.seq }),
  result: { field: 'policy', type: PolicyProposalRef as never, key: (_e, key) => entityId(key.relationshipId, key.seq) },
});

