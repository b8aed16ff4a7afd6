import { computeScorecard, type Scorecard } from '@trustledger/sdk/scorecard';
import { createClient } from '@trustledger/sdk';
import { expect, onTestFinished, test, vi } from 'vitest';
import { type BatchEntry, fetchLedger, record } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';
import { mulberry32 as rng } from '../../packages/sdk/src/scorecard/testing.ts';

const DAY = 86_400_000;
const CARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $asOf) {
  asOf head { seq hash }
  supplier { ...P } client { ...P }
  churn { stage announcedStage repairWindow signals { name shortRate baseline ratio count expected windowDays probability } actions } } } } }
  fragment D on Dimension { score status uncertainty positive negative evidence drivers { entry { seq } effect reason standing stake { amount currency typical ratio weight } } }
  fragment P on PartyScore { trustScore band confidence evidence medianFirstResponseHours reliability { ...D } transparency { ...D } responsiveness { ...D } goalAttainment { ...D } }`;

const CARD_AT = CARD.replace('query($id: ID!, $asOf: DateTime)', 'query($id: ID!, $asOf: DateTime, $atSeq: Int)').replace(
  'scorecard(asOf: $asOf)',
  'scorecard(asOf: $asOf, atSeq: $atSeq)',
);

/** The engine's scorecard in the shape the API serves (drivers name their entry). */
function asServed(card: Scorecard) {
  const dim = (d: Scorecard['supplier']['reliability']) => ({
    score: d.score,
    status: d.status,
    uncertainty: d.uncertainty,
    positive: d.positive,
    negative: d.negative,
    evidence: d.evidence,
    drivers: d.drivers.map((x) => ({ entry: { seq: x.entrySeq }, effect: x.effect, reason: x.reason, standing: x.standing, stake: x.stake })),
  });
  const party = (p: Scorecard['supplier']) => ({
    trustScore: p.trustScore,
    band: p.band,
    confidence: p.confidence,
    evidence: p.evidence,
    medianFirstResponseHours: p.medianFirstResponseHours,
    reliability: dim(p.reliability),
    transparency: dim(p.transparency),
    responsiveness: dim(p.responsiveness),
    goalAttainment: dim(p.goalAttainment),
  });
  return {
    asOf: card.asOf,
    head: card.head,
    supplier: party(card.supplier),
    client: party(card.client),
    churn: {
      stage: card.churn.stage,
      announcedStage: card.churn.announcedStage,
      repairWindow: card.churn.repairWindow,
      signals: card.churn.signals,
      actions: card.churn.actions,
    },
  };
}

/** Equal in everything but the last bits of floating-point sums (1e-9). */
function expectClose(actual: unknown, expected: unknown, path = 'scorecard'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, `${path} length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}

/**
 * Builds a random but valid history: promises with every kind of outcome, reschedules with and
 * without notice, interactions of every kind, complaints answered fast and slow, voids and
 * disputes, with business times deliberately out of recording order.
 */
function randomHistory(seed: number, now: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const start = now - 400 * DAY;
  // Every third ledger goes quiet: its business lies in its first 120 days, then a long idle gap.
  const span = seed % 3 === 0 ? 120 : 380;
  const iso = (ms: number) => new Date(Math.min(ms, now - 60_000)).toISOString();
  const batches: { side: 'supplier' | 'client'; entries: BatchEntry[] }[] = [];
  let seq = 2;
  const open: { seq: number; madeAt: number; dueAt: number; rescheduled: boolean }[] = [];
  const complaints: { seq: number; at: number; answered: boolean }[] = [];
  const own: Record<'supplier' | 'client', number[]> = { supplier: [], client: [] };
  // Disputes by side, and resolutions proposed by side: ended (or accepted) in a later batch of the right side.
  const disputes: Record<'supplier' | 'client', number[]> = { supplier: [], client: [] };
  const proposals: Record<'supplier' | 'client', number[]> = { supplier: [], client: [] };
  for (let b = 0; b < 6; b++) {
    const side = b % 2 === 0 ? 'supplier' : 'client';
    const other = side === 'supplier' ? 'client' : 'supplier';
    const entries: BatchEntry[] = [];
    const add = (type: BatchEntry['type'], at: number, payload: Record<string, unknown>, mine = true) => {
      entries.push({ type, occurredAt: iso(at), payload });
      seq++;
      if (mine) own[side].push(seq);
      return seq;
    };
    for (let i = 0; i < 10; i++) {
      const at = start + r() * span * DAY; // out of order on purpose
      const roll = r();
      if (roll < 0.25) {
        const dueAt = at + (2 + r() * 20) * DAY;
        const amount = r() < 0.6 ? { amount: pick([20, 20, 25, 30, 1_000, 200_000]), currency: pick(['EUR', 'EUR', 'USD']) } : undefined;
        const kind = pick(['DELIVERY', 'PAYMENT', 'INSTALLATION', 'RESPONSE', 'OTHER']);
        const s = add('PROMISE_MADE', at, { promisor: pick(['SUPPLIER', 'CLIENT']), kind, description: `p${seq + 1}`, dueAt: iso(dueAt), ...(amount ? { amount } : {}) });
        open.push({ seq: s, madeAt: at, dueAt, rescheduled: false });
      } else if (roll < 0.45 && open.length) {
        const p = open[Math.floor(r() * open.length)];
        const what = r();
        const when = p.madeAt + r() * (p.dueAt - p.madeAt) * 1.6;
        if (what < 0.25 && !p.rescheduled) {
          // A new due time lies after the due time in force and after the reschedule (DESIGN §2a).
          const newDue = Math.max(p.dueAt, when) + (1 + r() * 10) * DAY;
          add('PROMISE_RESCHEDULED', when, { promiseSeq: p.seq, newDueAt: iso(newDue), reason: 'supply delay' });
          p.dueAt = newDue;
          p.rescheduled = true;
        } else {
          const type = what < 0.7 ? 'PROMISE_KEPT' : what < 0.9 ? 'PROMISE_BROKEN' : 'PROMISE_CANCELLED';
          // A keep of part of the promise (the rest stays open), the older "in part", or the rest.
          const how = r();
          const share = type === 'PROMISE_KEPT' && how < 0.3 ? pick([0.25, 0.5, 0.6]) : null;
          add(
            type,
            when,
            type !== 'PROMISE_KEPT' ? { promiseSeq: p.seq, reason: 'as agreed' } : share !== null ? { promiseSeq: p.seq, share } : { promiseSeq: p.seq, inFull: how > 0.4 },
          );
          if (share === null) open.splice(open.indexOf(p), 1);
        }
      } else if (roll < 0.8) {
        const kind = pick(['POSITIVE_CONTACT', 'NEGATIVE_CONTACT', 'COMPLAINT', 'ACTIVITY', 'ACTIVITY', 'SATISFACTION', 'ALTERNATIVE_SUPPLIER'] as const);
        const payload: Record<string, unknown> = { kind, initiatedBy: pick(['CLIENT', 'CLIENT', 'SUPPLIER']) };
        if (kind === 'ACTIVITY') payload.volume = Math.round(r() * 100);
        if (kind === 'SATISFACTION') payload.score = 1 + Math.floor(r() * 5);
        const s = add('INTERACTION_RECORDED', at, payload);
        if (kind === 'COMPLAINT') complaints.push({ seq: s, at, answered: false });
      } else if (roll < 0.9 && complaints.some((c) => !c.answered)) {
        const c = complaints.find((x) => !x.answered) as (typeof complaints)[number];
        add(r() < 0.5 ? 'COMPLAINT_RESPONDED' : 'COMPLAINT_RESOLVED', c.at + r() * 8 * DAY, { interactionSeq: c.seq });
        c.answered = true;
      } else if (proposals[other].length && r() < 0.6) {
        // The other side proposed how to end a dispute; this side accepts.
        add('ENTRY_CONFIRMED', now - DAY, { entrySeq: proposals[other].shift() as number }, false);
      } else if (disputes[side].length && r() < 0.5) {
        // Its own dispute: withdrawn, or a resolution proposed (STANDS or STRUCK).
        const target = disputes[side].shift() as number;
        const how = r();
        if (how < 0.3) add('DISPUTE_WITHDRAWN', now - DAY, { entrySeq: target }, false);
        else proposals[side].push(add('DISPUTE_RESOLVED', now - DAY, { entrySeq: target, outcome: how < 0.65 ? 'STANDS' : 'STRUCK', note: 'agreed' }, false));
      } else if (own[side].length > 3 && r() < 0.4) {
        const target = own[side].splice(Math.floor(r() * (own[side].length - 1)), 1)[0];
        add('ENTRY_VOIDED', now - DAY, { entrySeq: target, reason: 'recorded in error' }, false);
      } else if (own[other].length > 3 && r() < 0.35) {
        // The other side's entry attested (a claim confirmed), back-dated.
        const target = own[other].splice(Math.floor(r() * own[other].length), 1)[0];
        add('ENTRY_CONFIRMED', now - 2 * DAY, { entrySeq: target }, false);
      } else if (own[other].length > 3) {
        const target = own[other].splice(Math.floor(r() * own[other].length), 1)[0];
        add('ENTRY_DISPUTED', now - DAY, { entrySeq: target, reason: 'did not happen like this' }, false);
        disputes[side].push(target);
      }
    }
    if (entries.length) batches.push({ side, entries });
  }
  return batches;
}

test('the served scorecard equals the engine recomputing the fetched ledger, on 24 random ledgers with amounts, partial keeps and idle gaps', async () => {
  await using ts = await startTestServer();
  const now = Date.now();
  for (let seed = 1; seed <= 24; seed++) {
    const rel = await activeRelationship(ts, new Date(now - 401 * DAY).toISOString());
    for (const batch of randomHistory(seed, now)) {
      const firm = batch.side === 'supplier' ? ts.supplier : ts.client;
      // Entries that could not apply (e.g. a void of an entry voided as a side effect) are skipped one by one.
      for (const entry of batch.entries) {
        const res = await firm.gql(`mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { message } } }`, {
          i: { relationshipId: rel, entries: [entry] },
        });
        if (res.data?.recordEntries.errors.length) continue;
      }
    }
    const ledger = await fetchLedger(ts.client, rel);
    const asOf = new Date().toISOString();
    const served = ok(await ts.supplier.gql(CARD, { id: rel, asOf })).node.scorecard;
    const local = asServed(computeScorecard(ledger, { asOf }));
    expectClose(served, local, `seed ${seed}`);
    // A past asOf falls back to full recomputation on the server: the same numbers again.
    const past = new Date(now - 120 * DAY).toISOString();
    const servedPast = ok(await ts.client.gql(CARD, { id: rel, asOf: past })).node.scorecard;
    expectClose(servedPast, asServed(computeScorecard(ledger, { asOf: past })), `seed ${seed} past`);
    // Time alone moves claims out of their attestation window and open disputes past their lapse:
    // the server's incremental state answers a later asOf exactly as the engine's full recomputation.
    for (const days of [8, 31]) {
      const later = new Date(now + days * DAY).toISOString();
      const servedLater = ok(await ts.supplier.gql(CARD, { id: rel, asOf: later })).node.scorecard;
      expectClose(servedLater, asServed(computeScorecard(ledger, { asOf: later })), `seed ${seed} +${days} days`);
    }
    // As known at an earlier head (atSeq): the engine on that prefix of the ledger, head included.
    const atSeq = 1 + ((seed * 7919) % ledger.length);
    const servedAt = ok(await ts.client.gql(CARD_AT, { id: rel, asOf: past, atSeq })).node.scorecard;
    expect(servedAt.head.seq).toBe(atSeq);
    expectClose(servedAt, asServed(computeScorecard(ledger.filter((e) => e.seq <= atSeq), { asOf: past })), `seed ${seed} atSeq ${atSeq}`);
  }
}, 240_000);

test('both firms are served the identical scorecard', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, new Date(Date.now() - 100 * DAY).toISOString());
  await record(ts.supplier, rel, [
    { type: 'PROMISE_MADE', occurredAt: new Date(Date.now() - 90 * DAY).toISOString(), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: new Date(Date.now() - 60 * DAY).toISOString() } },
    { type: 'PROMISE_KEPT', occurredAt: new Date(Date.now() - 62 * DAY).toISOString(), payload: { promiseSeq: 3 } },
  ]);
  const asOf = new Date().toISOString();
  const a = ok(await ts.supplier.gql(CARD, { id: rel, asOf }));
  const b = ok(await ts.client.gql(CARD, { id: rel, asOf }));
  expect(a).toEqual(b);
  expect(a.node.scorecard.supplier.reliability.evidence).toBe(1);
});

test('each point of a series equals the scorecard asked for alone at its asOf, through the SDK and the API (both on the scoring pool\'s thread), on 10 random ledgers', async () => {
  // Every recomputation on the scoring pool's thread, however small (it is what serves large ledgers).
  vi.stubEnv('TRUSTLEDGER_OFF_THREAD_WORK', '0');
  onTestFinished(() => void vi.unstubAllEnvs());
  await using ts = await startTestServer();
  const now = Date.now();
  const reader = createClient({ url: ts.url, apiKey: ts.client.keys.reader });
  const r = rng(99);
  for (let seed = 101; seed <= 110; seed++) {
    const rel = await activeRelationship(ts, new Date(now - 401 * DAY).toISOString());
    for (const batch of randomHistory(seed, now)) {
      const firm = batch.side === 'supplier' ? ts.supplier : ts.client;
      for (const entry of batch.entries)
        await firm.gql(`mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { message } } }`, { i: { relationshipId: rel, entries: [entry] } });
    }
    // Points out of order, one repeated, from before the relationship to after its latest entry
    // (voids and disputes lie between them, so the one pass must refold there).
    const points = Array.from({ length: 8 }, () => new Date(now - (410 - r() * 412) * DAY).toISOString());
    points.push(points[3]);
    const series = await reader.relationships.scorecardSeries(rel, points);
    expect(series.map((c) => c.asOf)).toEqual(points);
    for (const [i, asOf] of points.entries()) {
      // Alone, and recomputed by the SDK's engine from the verified ledger (verify throws on any difference).
      const alone = await reader.relationships.scorecard(rel, { asOf, verify: true });
      expectClose(series[i], alone, `seed ${seed} point ${i}`);
    }
  }
}, 240_000);
