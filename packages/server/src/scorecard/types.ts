import { CHURN_STAGES, DIMENSION_STATUSES, EVIDENCE_STANDINGS, type DimensionStatus, parseDateTime, TRUST_BANDS, type TrustBand, type ChurnStage } from '@trustledger/schema';
import { validation } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { SideEnum } from '../graphql/enums.ts';
import type { RelationshipRow } from '../graphql/loaders.ts';
import { cardKey, knownSeq, type ReviewItem, reviewInstant, reviewItems, reviewPage, reviewRelationships, servedFromColumns } from './review.ts';
import { decodeIntCursor, pageSize, toConnection } from '../graphql/pagination.ts';
import { EntryRef, LedgerHeadRef } from '../ledger/types.ts';
import { FirmRef } from '../firms/types.ts';
import { RelationshipRef, ViewerRef } from '../relationships/types.ts';
import { recomputeScorecard, recomputeSeries } from '../scoring/pool.ts';
import { scorecardAtOffThread } from '../scoring/state.ts';
import { type ChurnSignal, type Dimension, type Driver, type PartyScore, type Scorecard, type Stake } from '@trustledger/sdk/scorecard';
import type { Context } from '../graphql/context.ts';
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { chargeCards, chargeWork, POINT_WORK } from '../graphql/work-budget.ts';

/** The engine's output, as the API reads it (DESIGN §3): the SDK's own types, so the two cannot drift. */
type StakeData = Stake;
type DriverData = Driver;
type DimensionData = Dimension;
type PartyData = PartyScore;
type SignalData = ChurnSignal;
type ScorecardData = Scorecard;

/** Parent shapes carry the relationship id, so drivers can load their entries. */
type In<T> = { relId: string; data: T };
const wrap = <T>(relId: string, data: T): In<T> => ({ relId, data });

export const TrustBandEnum = builder.enumType('TrustBand', {
  values: TRUST_BANDS,
  description: 'TRUSTED … CRITICAL by trust score; PROVISIONAL: scored on less evidence than the policy needs for a band; UNRATED: no evidence, or evidence decayed to nothing.',
});
export const DimensionStatusEnum = builder.enumType('DimensionStatus', {
  values: DIMENSION_STATUSES,
  description:
    'SCORED; NOT_APPLICABLE: nothing to measure (no slip, no complaint, no agreed metric), does not lower confidence; UNKNOWN: something to measure, no evidence yet; FADED: evidence decayed below the policy threshold.',
});

const StakeRef = builder.objectRef<StakeData>('Stake').implement({
  description: "What a promise's evidence weighed: its kind's weight × its amount against the promisor's typical amount in that currency, clamped (policy.stakes).",
  fields: (t) => ({
    amount: t.float({ nullable: true, description: "The promise's amount; null without one.", resolve: (s) => s.amount }),
    currency: t.string({ nullable: true, description: 'ISO 4217.', resolve: (s) => s.currency }),
    typical: t.float({ nullable: true, description: "The promisor's typical amount in that currency when it was judged; null for the first.", resolve: (s) => s.typical }),
    ratio: t.float({ nullable: true, description: 'amount / typical.', resolve: (s) => s.ratio }),
    weight: t.float({ description: 'The weight its evidence carried.', resolve: (s) => s.weight }),
  }),
});
export const ChurnStageEnum = builder.enumType('ChurnStage', { values: CHURN_STAGES });
export const EvidenceStandingEnum = builder.enumType('EvidenceStanding', {
  values: EVIDENCE_STANDINGS,
  description:
    'CLAIMED: self-serving and not yet attested, weighs policy.attestation.claimWeight until the other side confirms it or the attestation window passes undisputed; ' +
    'DISPUTED: under an open dispute, weighs policy.disputes.weight; CONTESTED: its dispute lapsed unresolved, it counts again in full.',
});

const DriverRef = builder.objectRef<In<DriverData>>('Driver').implement({
  description: 'An entry that moved a figure, with its signed, decayed effect.',
  fields: (t) => ({
    entry: t.field({ type: EntryRef, resolve: (d, _a, ctx) => ctx.loaders.entry.load(`${d.relId}:${d.data.entrySeq}`) as never }),
    effect: t.float({ resolve: (d) => d.data.effect }),
    reason: t.string({ resolve: (d) => d.data.reason }),
    stake: t.field({ type: StakeRef, nullable: true, description: "For a promise's evidence, what it weighed; null otherwise, and for a promise without an amount that weighed 1.", resolve: (d) => d.data.stake ?? null }),
    standing: t.field({
      type: EvidenceStandingEnum,
      nullable: true,
      description: 'How the evidence stands at asOf (DESIGN §2a): CLAIMED, DISPUTED or CONTESTED; null when it counts in full, uncontested. The reason says what it weighs.',
      resolve: (d) => d.data.standing ?? null,
    }),
  }),
});

const DimensionRef = builder.objectRef<In<DimensionData>>('Dimension').implement({
  description: 'One dimension of trust. No evidence: score null and uncertainty 1 — never a default dressed as a result.',
  fields: (t) => ({
    score: t.float({ nullable: true, description: '0–100, null unless status is SCORED.', resolve: (d) => d.data.score }),
    status: t.field({ type: DimensionStatusEnum, resolve: (d) => d.data.status }),
    uncertainty: t.float({ description: '0 (certain) to 1 (no evidence).', resolve: (d) => d.data.uncertainty }),
    positive: t.float({ description: 'Decayed positive evidence.', resolve: (d) => d.data.positive }),
    negative: t.float({ description: 'Decayed negative evidence.', resolve: (d) => d.data.negative }),
    evidence: t.int({ description: 'How many items of evidence count.', resolve: (d) => d.data.evidence }),
    drivers: t.field({ type: [DriverRef], resolve: (d) => d.data.drivers.map((x) => wrap(d.relId, x)) }),
  }),
});

const PartyScoreRef = builder.objectRef<In<PartyData>>('PartyScore').implement({
  description: 'How far one side can be trusted, from its own record in this relationship.',
  fields: (t) => ({
    trustScore: t.float({ nullable: true, description: '0–100, null when Unrated.', resolve: (p) => p.data.trustScore }),
    band: t.field({ type: TrustBandEnum, resolve: (p) => p.data.band }),
    confidence: t.float({
      description: '0–1: one minus the weighted mean uncertainty of the applicable dimensions (NOT_APPLICABLE ones left out).',
      resolve: (p) => p.data.confidence,
    }),
    evidence: t.float({
      description:
        'Items of evidence of the scored reliability, responsiveness and goal attainment (promises settled, weighted by kind; complaints; measurements); below policy.evidence.minimum the band is PROVISIONAL.',
      resolve: (p) => p.data.evidence,
    }),
    reliability: t.field({ type: DimensionRef, resolve: (p) => wrap(p.relId, p.data.reliability) }),
    transparency: t.field({ type: DimensionRef, resolve: (p) => wrap(p.relId, p.data.transparency) }),
    responsiveness: t.field({ type: DimensionRef, resolve: (p) => wrap(p.relId, p.data.responsiveness) }),
    goalAttainment: t.field({ type: DimensionRef, resolve: (p) => wrap(p.relId, p.data.goalAttainment) }),
    medianFirstResponseHours: t.float({
      nullable: true,
      description: 'Median time to the first response to complaints raised against this side.',
      resolve: (p) => p.data.medianFirstResponseHours,
    }),
  }),
});

const ChurnSignalRef = builder.objectRef<SignalData>('ChurnSignal').implement({
  description:
    'A churn signal that fired (DESIGN §3 "Churn stage"): the count observed in a recent window, the count the client\'s own baseline expects in the same window, and how improbable the count is.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'activity (order volume), orderCadence, positiveContacts, negativeContacts (with unhandled and repeated complaints), satisfaction, alternativeSupplier, brokenPromises or relationshipEnded.',
    }),
    shortRate: t.exposeFloat('shortRate', { description: 'count / windowDays, per day (orderCadence: days since the last order; satisfaction: recent mean).' }),
    baseline: t.exposeFloat('baseline', { description: 'expected / windowDays, per day (orderCadence: the typical gap in days; satisfaction: usual mean).' }),
    ratio: t.exposeFloat('ratio', { description: 'count / expected.' }),
    count: t.exposeFloat('count', { description: 'What was observed in the window: events, order volume, days without an order, or the latest pulse (1–5).' }),
    expected: t.exposeFloat('expected', { description: "What the client's own baseline leads to expect in the same window; 0 when the signal has no baseline." }),
    windowDays: t.exposeInt('windowDays', { description: 'Length of the window, in days.' }),
    probability: t.exposeFloat('probability', {
      nullable: true,
      description: 'One-sided tail probability of the count under the baseline; null when the signal is not a tested count.',
    }),
  }),
});

const ChurnRef = builder.objectRef<ScorecardData['churn']>('ChurnAssessment').implement({
  description: 'Where the client stands in the five-stage churn process; THAWING is the repair window.',
  fields: (t) => ({
    stage: t.field({ type: ChurnStageEnum, resolve: (c) => c.stage }),
    announcedStage: t.field({
      type: ChurnStageEnum,
      description: 'The stage alerts follow: the latest stage that held for the policy\'s churn.dwellDays, so a flicker is not announced.',
      resolve: (c) => c.announcedStage,
    }),
    repairWindow: t.exposeBoolean('repairWindow'),
    signals: t.field({ type: [ChurnSignalRef], description: 'The signals that fired.', resolve: (c) => c.signals }),
    actions: t.exposeStringList('actions', { description: 'Recommended next actions.' }),
  }),
});

export const ScorecardRef = builder.objectRef<In<ScorecardData>>('Scorecard').implement({
  description: 'The shared scorecard: the same numbers for both firms, recomputable from the ledger with @trustledger/sdk.',
  fields: (t) => ({
    asOf: t.field({ type: 'DateTime', resolve: (s) => s.data.asOf }),
    head: t.field({ type: LedgerHeadRef, description: 'The ledger head it was computed from.', resolve: (s) => s.data.head }),
    policy: t.field({ type: 'JSON', description: 'The scoring policy in force.', resolve: (s) => s.data.policy }),
    supplier: t.field({ type: PartyScoreRef, resolve: (s) => wrap(s.relId, s.data.supplier) }),
    client: t.field({ type: PartyScoreRef, resolve: (s) => wrap(s.relId, s.data.client) }),
    churn: t.field({ type: ChurnRef, resolve: (s) => s.data.churn }),
  }),
});

const MAX_POINTS = 100;

function asOfArg(value: string | null | undefined, ctx: Context, path: string): string {
  if (value == null) return ctx.now();
  const t = parseDateTime(value);
  if (!t.ok) throw validation(`${t.message}.`, [path]);
  return t.time;
}

/** The ledger head a figure is known at: `atSeq`, from 1 to the current head; default the current head. */
function atSeqArg(value: number | null | undefined, rel: RelationshipRow): number {
  if (value == null) return rel.headSeq;
  if (value < 1 || value > rel.headSeq)
    throw validation(
      `atSeq ${value} is not a head of this ledger: give an entry seq from 1 to ${rel.headSeq} (the current head), or leave it out for the current head.`,
      ['atSeq'],
    );
  return value;
}

const AT_SEQ_DESCRIPTION =
  'The ledger head it is known at (DESIGN §2a): computed from the entries with seq ≤ atSeq only, so a figure pinned earlier is reproduced exactly, whatever was recorded since (back-dated entries included). From 1 to the current head; default: the current head.';

/**
 * The scorecard of one relationship at asOf, as known at ledger head atSeq: from the incremental
 * state at the current head; a recomputation (a past asOf or head) is charged and runs on the
 * scoring pool's thread.
 */
export const cardOf = async (ctx: Context, rel: RelationshipRow, asOf: string, atSeq: number = rel.headSeq): Promise<In<ScorecardData>> =>
  wrap(
    rel.id,
    (await scorecardAtOffThread(
      ctx.store,
      rel,
      asOf,
      atSeq,
      (entries) => {
        chargeCards(ctx.work, 1, 'scorecard at a past asOf', ['asOf']);
        chargeWork(ctx.work, entries, `scorecard at a past asOf: ${entries.toLocaleString('en-US')} entries`, ['asOf']);
      },
      recomputeScorecard,
    )) as ScorecardData,
  );

builder.objectFields(RelationshipRef, (t) => ({
  scorecard: t.field({
    type: ScorecardRef,
    args: { asOf: t.arg({ type: 'DateTime', description: 'Default: now.' }), atSeq: t.arg.int({ description: AT_SEQ_DESCRIPTION }) },
    resolve: (r, args, ctx) => cardOf(ctx, r, asOfArg(args.asOf, ctx, 'asOf'), atSeqArg(args.atSeq, r)),
  }),
  scorecardSeries: t.field({
    type: [ScorecardRef],
    description: `The scorecard at each point (at most ${MAX_POINTS}), for trend lines.`,
    args: { points: t.arg({ type: ['DateTime'], required: true }), atSeq: t.arg.int({ description: AT_SEQ_DESCRIPTION }) },
    resolve: async (r, args, ctx) => {
      if (args.points.length > MAX_POINTS) throw validation(`At most ${MAX_POINTS} points per series.`, ['points']);
      const points = args.points.map((p, i) => asOfArg(p, ctx, `points.${i}`));
      const atSeq = atSeqArg(args.atSeq, r);
      chargeCards(ctx.work, points.length, `scorecardSeries: ${points.length} points`, ['points']);
      // One pass over the ledger for all the points (the engine's scorecardSeries), plus a
      // snapshot per point; a refold the ledger forces (a void, dispute or policy between two
      // points) is charged when it comes.
      chargeWork(
        ctx.work,
        atSeq + POINT_WORK * points.length,
        `scorecardSeries: one pass over ${atSeq.toLocaleString('en-US')} entries + ${points.length} points × ${POINT_WORK}`,
        ['points'],
      );
      // On the scoring pool's thread (which reads the ledger itself on SQLite); refolds may use what is left of the budget, and are charged.
      const result = await recomputeSeries(ctx.store, r.id, atSeq, points, atSeq + POINT_WORK * points.length, ctx.work.limit - ctx.work.spent);
      const refolded = 'overBudget' in result ? result.overBudget : result.refolded;
      if (refolded > 0)
        chargeWork(ctx.work, refolded, `scorecardSeries: ${refolded.toLocaleString('en-US')} entries folded again after a void, dispute, confirmation, policy or back-dated entry`, ['points']);
      return ('cards' in result ? (result.cards as ScorecardData[]) : []).map((c) => wrap(r.id, c));
    },
  }),
}));

/** Whether the operation selects a field named `name` anywhere below this field (fragments included). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    set !== undefined &&
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name || walk(s.selectionSet);
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return walk(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((f) => walk(f.selectionSet));
}

/** Charges a scorecard a review recomputes: the ledger's length (see work-budget.ts). */
const reviewCharge = (ctx: Context) => (entries: number) =>
  chargeWork(ctx.work, entries, `review: a scorecard recomputed at a past time, ${entries.toLocaleString('en-US')} entries`, ['asOf']);

/**
 * Computes, on the scoring pool's thread, the review's scorecards that need the ledger (one pass
 * over each ledger for its points), into `pre` by cardKey; each is charged its ledger's length
 * first, before any runs. A few ledgers at a time, so they are not all in memory at once.
 */
async function precompute(ctx: Context, pre: Map<string, Scorecard>, jobs: { relId: string; seq: number; points: string[] }[]): Promise<void> {
  const todo = jobs.map((j) => ({ ...j, points: j.points.filter((p) => !pre.has(cardKey(j.relId, j.seq, p))) })).filter((j) => j.points.length > 0);
  const charge = reviewCharge(ctx);
  for (const j of todo) charge(j.seq);
  for (let i = 0; i < todo.length; i += 4)
    await Promise.all(
      todo.slice(i, i + 4).map(async (j) => {
        const result = await recomputeSeries(ctx.store, j.relId, j.seq, j.points, j.seq, ctx.work.limit - ctx.work.spent);
        const refolded = 'overBudget' in result ? result.overBudget : result.refolded;
        if (refolded > 0) charge(refolded);
        if ('cards' in result) j.points.forEach((p, k) => pre.set(cardKey(j.relId, j.seq, p), result.cards[k]));
      }),
    );
}

const ReviewOrderEnum = builder.enumType('ReviewOrder', {
  values: ['TRUST_SCORE_ASC', 'TRUST_SCORE_DESC', 'CHANGE_ASC', 'CHANGE_DESC'] as const,
  description: 'Provisional counterparties sort after the banded ones, and Unrated last, either way.',
});

type ReviewItemData = ReviewItem & { changeDays: number };

const ReviewItemRef = builder.objectRef<ReviewItemData>('ReviewItem').implement({
  description: 'One counterparty in a review: its scorecard and the figures procurement looks at first.',
  fields: (t) => ({
    relationship: t.field({ type: RelationshipRef, resolve: (i) => i.rel }),
    counterparty: t.field({ type: FirmRef, resolve: (i, _a, ctx) => ctx.loaders.firm.load(i.counterpartyId) as never }),
    scorecard: t.field({ type: ScorecardRef, resolve: (i) => wrap(i.rel.id, i.card as ScorecardData) }),
    score: t.field({ type: PartyScoreRef, description: "The counterparty's side of the scorecard.", resolve: (i) => wrap(i.rel.id, i.score) }),
    trustScore: t.float({ nullable: true, resolve: (i) => i.score.trustScore }),
    band: t.field({ type: TrustBandEnum, resolve: (i) => i.score.band }),
    stage: t.field({ type: ChurnStageEnum, resolve: (i) => i.card.churn.stage }),
    change: t.float({ nullable: true, description: "Change of the counterparty's trust score over the period.", resolve: (i) => i.change(i.changeDays) }),
    openPromises: t.int({ description: 'Promises of the counterparty open at asOf.', resolve: (i) => i.open }),
    overduePromises: t.int({ description: 'Of those, the ones past due at asOf.', resolve: (i) => i.overdue }),
  }),
});
const ReviewConnection = builder.connectionObject({ type: ReviewItemRef, name: 'ReviewConnection' });

builder.objectFields(ViewerRef, (t) => ({
  review: t.field({
    type: ReviewConnection,
    description:
      "Review the viewer's counterparties by scorecard: `as: CLIENT` reviews its suppliers, `as: SUPPLIER` its clients (who is drifting away?).",
    args: {
      as: t.arg({ type: SideEnum, required: true }),
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      bands: t.arg({ type: [TrustBandEnum] }),
      stages: t.arg({ type: [ChurnStageEnum] }),
      orderBy: t.arg({ type: ReviewOrderEnum, defaultValue: 'TRUST_SCORE_ASC' }),
      asOf: t.arg({
        type: 'DateTime',
        description:
          "Default: the review's refresh instant, now rounded down to the server's refresh interval (TRUSTLEDGER_REVIEW_REFRESH_SECONDS, 60 s by default); items' scorecard.asOf tells it.",
      }),
      changeDays: t.arg.int({ defaultValue: 90, description: 'The period for `change`, in days.' }),
      asKnownAt: t.arg({
        type: 'DateTime',
        description:
          'Reproduce the review as it could be seen at this time (DESIGN §2a): each scorecard from its ledger up to the last entry recorded (recordedAt) by then, so a review pinned with asOf and asKnownAt gives the same figures later, whatever was recorded since, back-dated or not. Each scorecard names its head. Default: now (every entry).',
      }),
    },
    resolve: async (v, args, ctx, info) => {
      const { first } = pageSize(args.first);
      const offset = (decodeIntCursor(args.after, 0) ?? -1) + 1;
      // Without asOf: the review's refresh instant (now rounded down to TRUSTLEDGER_REVIEW_REFRESH_SECONDS),
      // so a ranking by trust score is read from the stored figures in SQL, a page at a time.
      const now = ctx.now();
      const asOf = args.asOf == null ? reviewInstant(now) : asOfArg(args.asOf, ctx, 'asOf');
      const changeDays = args.changeDays ?? 90;
      if (changeDays < 1 || changeDays > 3650) throw validation('changeDays must be from 1 to 3650.', ['changeDays']);
      const asKnownAt = args.asKnownAt == null ? null : asOfArg(args.asKnownAt, ctx, 'asKnownAt');
      // Scorecards the relationships' states cannot answer (a past asOf, the start of `change`'s
      // period, a review as known at a past time) are recomputed on the scoring pool's thread
      // beforehand, and each is charged its ledger's length (issue 11).
      const precomputed = new Map<string, Scorecard>();
      const options = { bands: args.bands, stages: args.stages, orderBy: args.orderBy, changeDays, precomputed, beforeFullRecompute: reviewCharge(ctx) };
      const past = new Date(Date.parse(asOf) - changeDays * 86_400_000).toISOString();
      const byChange = args.orderBy === 'CHANGE_ASC' || args.orderBy === 'CHANGE_DESC';
      const needs = (rel: RelationshipRow, at: string) => Date.parse(at) < Date.parse(rel.maxOccurredAt);
      const fromColumns = asKnownAt === null && servedFromColumns(asOf, now, options);
      if (!fromColumns) {
        const rels = await reviewRelationships(ctx.store, v.firmId, args.as, asOf, now);
        const jobs = await Promise.all(
          rels.map(async (rel) => {
            if (asKnownAt !== null) return { relId: rel.id, seq: (await knownSeq(ctx.store, rel.id, asKnownAt)) ?? 0, points: byChange ? [asOf, past] : [asOf] };
            return { relId: rel.id, seq: rel.headSeq, points: [asOf, ...(byChange ? [past] : [])].filter((p) => needs(rel, p)) };
          }),
        );
        await precompute(ctx, precomputed, jobs.filter((j) => j.seq > 0));
      }
      // A review as known at a past time is computed from each ledger's prefix, never from the stored columns.
      const slice = fromColumns
        ? await reviewPage(ctx.store, v.firmId, args.as, asOf, now, options, offset, first + 1)
        : (await reviewItems(ctx.store, v.firmId, args.as, asOf, { ...options, asKnownAt, now })).slice(offset, offset + first + 1);
      // `change` of the page's items, when asked for: the start of its period, likewise.
      if (selects(info, 'change'))
        await precompute(
          ctx,
          precomputed,
          slice.slice(0, first).flatMap((item) => {
            if (asKnownAt !== null) {
              const seq = item.card.head.seq;
              return seq > 0 ? [{ relId: item.rel.id, seq, points: [past] }] : [];
            }
            return needs(item.rel, past) ? [{ relId: item.rel.id, seq: item.rel.headSeq, points: [past] }] : [];
          }),
        );
      const page = slice.map((item, i) => ({ item: { ...item, changeDays }, index: offset + i }));
      const conn = toConnection(page, first, (x) => x.index, offset > 0);
      return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: e.node.item })) };
    },
  }),
}));

