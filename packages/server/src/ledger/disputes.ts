import { DISPUTE_STATES, type DisputeState, type EntryType, type LedgerEntry, parseDateTime } from '@trustledger/schema';
import { type Dispute, disputesOf } from '@trustledger/sdk/scorecard';
import type { Store } from '../store/index.ts';
import { validation } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import type { Context } from '../graphql/context.ts';
import { SideEnum } from '../graphql/enums.ts';
import type { EntryRow } from '../graphql/loaders.ts';
import { RelationshipRef } from '../relationships/types.ts';
import { DisputeOutcomeEnum } from './mutations.ts';
import { rowToEntry } from './projections.ts';
import { EntryRef } from './types.ts';

/** The entry types a dispute's life is read from (besides the disputed entries themselves). */
const DISPUTE_TYPES: EntryType[] = [
  'RELATIONSHIP_PROPOSED',
  'POLICY_PROPOSED',
  'POLICY_ACCEPTED',
  'ENTRY_CONFIRMED',
  'ENTRY_DISPUTED',
  'DISPUTE_WITHDRAWN',
  'DISPUTE_RESOLVED',
  'ENTRY_VOIDED',
];

/**
 * The disputes of a relationship at asOf, by the engine's own reading (disputesOf): two
 * statements, the entries of the types above and the entries they dispute, not the whole ledger.
 */
export async function relationshipDisputes(store: Store, relationshipId: string, asOf: string): Promise<Dispute[]> {
  const rows = await store.entriesOfTypes(relationshipId, DISPUTE_TYPES);
  const disputed = [...new Set(rows.filter((r) => r.type === 'ENTRY_DISPUTED').map((r) => (JSON.parse(r.payload) as { entrySeq: number }).entrySeq))];
  const have = new Set(rows.map((r) => r.seq));
  const missing = disputed.filter((s) => !have.has(s));
  const targets: EntryRow[] = [];
  for (let i = 0; i < missing.length; i += 500)
    targets.push(...(await store.rowsBySeq<EntryRow>('entries', [relationshipId], missing.slice(i, i + 500))));
  const entries: LedgerEntry[] = [...rows, ...targets].map(rowToEntry);
  return disputesOf(entries, { asOf });
}

const DisputeStateEnum = builder.enumType('DisputeState', {
  values: DISPUTE_STATES,
  description:
    'OPEN: the disputed evidence weighs as the policy says (default half); WITHDRAWN by its raiser; RESOLVED by an agreed resolution (STANDS or STRUCK) or the recorder\'s void with consent; ' +
    'LAPSED: left open past the policy\'s window (default 30 days), the evidence counts again, contested.',
});

type DisputeData = { relId: string; d: Dispute };
const entryOf = (ctx: Context, relId: string, seq: number) => ctx.loaders.entry.load(`${relId}:${seq}`) as never;

const DisputeRef = builder.objectRef<DisputeData>('Dispute').implement({
  description:
    "A dispute of an entry by the other side (DESIGN §2a \"A dispute is a state, not an eraser\"): what it disputes, who raised it and when, where it stands at asOf, and how it ended.",
  fields: (f) => ({
    state: f.field({ type: DisputeStateEnum, resolve: (x) => x.d.state }),
    entry: f.field({ type: EntryRef, description: 'The disputed entry.', resolve: (x, _a, ctx) => entryOf(ctx, x.relId, x.d.entrySeq) }),
    disputeEntry: f.field({ type: EntryRef, description: 'The ENTRY_DISPUTED that raised it.', resolve: (x, _a, ctx) => entryOf(ctx, x.relId, x.d.seq) }),
    raisedBy: f.field({ type: SideEnum, nullable: true, resolve: (x) => x.d.raisedBy }),
    raisedAt: f.field({ type: 'DateTime', description: "When the other side could see it (the server's clock).", resolve: (x) => x.d.raisedAt }),
    reason: f.string({ nullable: true, resolve: (x) => x.d.reason }),
    lapsesAt: f.field({ type: 'DateTime', description: 'When it lapses if nothing ends it: raisedAt + policy.disputes.windowDays, at the next whole hour (UTC).', resolve: (x) => x.d.lapsesAt }),
    resolution: f.field({ type: DisputeOutcomeEnum, nullable: true, description: 'For RESOLVED: what was agreed.', resolve: (x) => x.d.resolution }),
    endedBy: f.field({
      type: EntryRef,
      nullable: true,
      description: 'The entry that ended it: the withdrawal, or the acceptance of a resolution or void.',
      resolve: (x, _a, ctx) => (x.d.endedBySeq === null ? null : entryOf(ctx, x.relId, x.d.endedBySeq)),
    }),
    endedAt: f.field({ type: 'DateTime', nullable: true, resolve: (x) => x.d.endedAt }),
  }),
});

builder.objectField(RelationshipRef, 'disputes', (f) =>
  f.field({
    type: [DisputeRef],
    description: 'Every dispute of this ledger as it stands at asOf (default now), oldest first; `state` filters.',
    args: { state: f.arg({ type: [DisputeStateEnum] }), asOf: f.arg({ type: 'DateTime', description: 'Default: now.' }) },
    resolve: async (r, args, ctx) => {
      let asOf = ctx.now();
      if (args.asOf != null) {
        const p = parseDateTime(args.asOf);
        if (!p.ok) throw validation(`${p.message}.`, ['asOf']);
        asOf = p.time;
      }
      const states = args.state ? new Set<DisputeState>(args.state) : null;
      return (await relationshipDisputes(ctx.store, r.id, asOf))
        .filter((d) => states === null || states.has(d.state))
        .map((d) => ({ relId: r.id, d }));
    },
  }),
);
