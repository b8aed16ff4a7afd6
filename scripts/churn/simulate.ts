/**
 * The churn backtest (DESIGN §3 "Churn stage", issue 9): relationships simulated with a known
 * truth per day, read every day through the scorecard engine (scorecardSeries: the incremental
 * fold carried from day to day), and scored against per-class targets; the same data is read by
 * a simple points score of the kind customer-success tools use, as the baseline to beat.
 *
 * Everything is driven by a seeded PRNG (mulberry32), so a run is reproducible.
 */
import type { ChurnStage, LedgerEntry, PolicyOverride } from '../../packages/schema/src/index.ts';
import { scorecardSeries } from '../../packages/sdk/src/scorecard/index.ts';
import { mulberry32 } from '../../packages/sdk/src/scorecard/testing.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Day 0 of every simulated relationship: a Monday. */
const EPOCH = Date.parse('2023-01-02T00:00:00.000Z');
const LEVEL: Record<ChurnStage, number> = { STABLE: 0, THAWING: 1, ANTI: 2, SWITCHING: 3, LOST: 4 };

/** The classes of the backtest. */
export const CLASSES = ['steady', 'seasonal', 'lowVolume', 'handledComplaint', 'repairedThaw', 'slowDrift', 'ordersStop', 'young'] as const;
export type ClassName = (typeof CLASSES)[number];

type Rng = () => number;
const uni = (rng: Rng, a: number, b: number) => a + (b - a) * rng();
const exp = (rng: Rng, mean: number) => -Math.log(1 - rng()) * mean;
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
/** Gamma(shape, scale) by Marsaglia and Tsang (2000). */
function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * rng() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** A raw event of the simulated client, before it becomes ledger entries. Times in days from EPOCH. */
interface Event {
  t: number;
  kind: 'ACTIVITY' | 'POSITIVE_CONTACT' | 'NEGATIVE_CONTACT' | 'COMPLAINT' | 'SATISFACTION' | 'ALTERNATIVE_SUPPLIER';
  volume?: number;
  score?: number;
  /** For complaints: hours to the first response and days to the resolution. */
  respondH?: number;
  resolveD?: number;
}

/** One simulated relationship with its truth. */
export interface Sim {
  cls: ClassName;
  events: Event[];
  /** Days read: [from, to). */
  from: number;
  to: number;
  /** The true stage on a day. */
  truth: (day: number) => ChurnStage;
  /** Class-specific days (thaw start, repair, drift start, last order, stop, complaint). */
  marks: Record<string, number>;
  silent?: boolean;
}

/** Rates of a client's behaviour, per day, as a function of the day (multipliers and additions by phase). */
interface Behaviour {
  /** Mean gap between orders when nothing changes (days) and its regularity (gamma shape). */
  gap: number;
  shape: number;
  volume: number;
  positive: number;
  negative: number;
  complaints: number;
  pulseEvery: number;
  /** Per-day modifiers. */
  orderMult: (day: number) => number;
  positiveMult: (day: number) => number;
  negativeAdd: (day: number) => number;
  complaintAdd: (day: number) => number;
  handledAt: (day: number) => number;
  pulse: (day: number, rng: Rng) => number;
  alive: (day: number) => boolean;
}

const usualPulse = (rng: Rng) => {
  const u = rng();
  return u < 0.15 ? 3 : u < 0.65 ? 4 : 5;
};

/** Pulses while the relationship thaws: mostly neutral, sometimes low. */
const thawPulse = (rng: Rng) => (rng() < 0.3 ? 2 : 3);

function baseBehaviour(rng: Rng, ordersPerWeek: [number, number], positivePerMonth: [number, number] = [1, 4]): Behaviour {
  return {
    gap: 7 / uni(rng, ...ordersPerWeek),
    shape: uni(rng, 1.5, 5),
    volume: Math.round(uni(rng, 20, 200)),
    positive: uni(rng, ...positivePerMonth) / 30,
    negative: uni(rng, 0.1, 0.6) / 30,
    complaints: uni(rng, 0.05, 0.3) / 30,
    pulseEvery: uni(rng, 20, 45),
    orderMult: () => 1,
    positiveMult: () => 1,
    negativeAdd: () => 0,
    complaintAdd: () => 0,
    handledAt: () => 0.95,
    pulse: (_d, r) => usualPulse(r),
    alive: () => true,
  };
}

/** Events of a Poisson process with a rate that varies by day (thinning, Lewis and Shedler 1979). */
function poissonEvents(rng: Rng, from: number, to: number, rate: (day: number) => number, max: number): number[] {
  const out: number[] = [];
  if (max <= 0) return out;
  let t = from;
  for (;;) {
    t += exp(rng, 1 / max);
    if (t >= to) return out;
    if (rng() * max < rate(t)) out.push(t);
  }
}

function generate(rng: Rng, b: Behaviour, from: number, to: number): Event[] {
  const events: Event[] = [];
  // Orders: a gamma renewal process whose mean gap stretches with the order multiplier.
  let t = from + rng() * b.gap;
  while (t < to) {
    const m = b.orderMult(t);
    if (m > 0 && b.alive(t)) events.push({ t, kind: 'ACTIVITY', volume: Math.max(1, Math.round(b.volume * uni(rng, 0.6, 1.4))) });
    t += gamma(rng, b.shape, b.gap / b.shape / Math.max(m, 0.05));
  }
  const alive = (x: number) => b.alive(x);
  for (const x of poissonEvents(rng, from, to, (d) => (alive(d) ? b.positive * b.positiveMult(d) : 0), b.positive * 2))
    events.push({ t: x, kind: 'POSITIVE_CONTACT' });
  for (const x of poissonEvents(rng, from, to, (d) => (alive(d) ? b.negative + b.negativeAdd(d) : 0), b.negative + 0.2))
    events.push({ t: x, kind: 'NEGATIVE_CONTACT' });
  for (const x of poissonEvents(rng, from, to, (d) => (alive(d) ? b.complaints + b.complaintAdd(d) : 0), b.complaints + 0.2)) {
    const handled = rng() < b.handledAt(x);
    events.push({
      t: x,
      kind: 'COMPLAINT',
      respondH: handled ? uni(rng, 1, 20) : uni(rng, 26, 96),
      resolveD: handled ? uni(rng, 0.5, 4) : uni(rng, 3, 10),
    });
  }
  for (let p = from + rng() * b.pulseEvery; p < to; p += b.pulseEvery * uni(rng, 0.7, 1.3))
    if (alive(p)) events.push({ t: p, kind: 'SATISFACTION', score: b.pulse(p, rng) });
  return events;
}

const phase = (day: number, from: number, to: number) => day >= from && day < to;

/** One relationship of a class, from a seeded PRNG. */
export function simulate(cls: ClassName, rng: Rng): Sim {
  const stable = () => 'STABLE' as ChurnStage;
  switch (cls) {
    case 'steady': {
      const b = baseBehaviour(rng, [1, 10]);
      return { cls, events: generate(rng, b, 0, 1130), from: 400, to: 1130, truth: stable, marks: {} };
    }
    case 'seasonal': {
      const b = baseBehaviour(rng, [1, 10]);
      const dip = uni(rng, 0.3, 0.5);
      b.orderMult = (d) => {
        const month = new Date(EPOCH + d * DAY).getUTCMonth();
        return month === 6 || month === 7 || month === 11 ? 1 - dip : 1;
      };
      return { cls, events: generate(rng, b, 0, 1130), from: 400, to: 1130, truth: stable, marks: {} };
    }
    case 'lowVolume': {
      const b = baseBehaviour(rng, [7 / 30, 7 / 30], [0.5, 2]);
      return { cls, events: generate(rng, b, 0, 1130), from: 400, to: 1130, truth: stable, marks: {} };
    }
    case 'handledComplaint': {
      const b = baseBehaviour(rng, [1, 10]);
      b.negative = 0;
      b.complaints = 0;
      const day = 365 + uni(rng, 0, 30);
      const events = generate(rng, b, 0, day + 120);
      events.push({ t: day, kind: 'COMPLAINT', respondH: uni(rng, 1, 4), resolveD: uni(rng, 0.5, 3) });
      return { cls, events, from: Math.floor(day) - 30, to: Math.floor(day) + 120, truth: stable, marks: { complaint: day } };
    }
    case 'repairedThaw': {
      const b = baseBehaviour(rng, [1, 10]);
      const start = uni(rng, 365, 600);
      const repair = start + uni(rng, 28, 70);
      const neg = uni(rng, 2, 5) / 30;
      const comp = uni(rng, 0.5, 1.5) / 30;
      const pos = uni(rng, 0.2, 0.5);
      b.negativeAdd = (d) => (phase(d, start, repair) ? neg : 0);
      b.complaintAdd = (d) => (phase(d, start, repair) ? comp : 0);
      b.positiveMult = (d) => (phase(d, start, repair) ? pos : 1);
      b.handledAt = (d) => (phase(d, start, repair) ? 0.75 : 0.95);
      b.pulse = (d, r) => (phase(d, start, repair) ? thawPulse(r) : usualPulse(r));
      const truth = (d: number): ChurnStage => (phase(d, start, repair) ? 'THAWING' : 'STABLE');
      return { cls, events: generate(rng, b, 0, repair + 90), from: Math.floor(start) - 60, to: Math.floor(repair) + 90, truth, marks: { start, repair } };
    }
    case 'slowDrift': {
      const b = baseBehaviour(rng, [2, 10]);
      const start = uni(rng, 365, 600);
      const length = uni(rng, 90, 180);
      const anti = start + 0.35 * length;
      const switching = start + 0.7 * length;
      const lost = start + length;
      const silent = rng() < 1 / 3;
      const antiOrders = uni(rng, 0.6, 0.8);
      const switchOrders = uni(rng, 0.2, 0.35);
      b.alive = (d) => d < lost;
      b.orderMult = (d) => (d < anti ? 1 : d < switching ? antiOrders : switchOrders);
      b.positiveMult = (d) => (d < start ? 1 : d < anti ? 0.5 : d < switching ? 0.25 : 0.1);
      if (!silent) {
        const thawNeg = uni(rng, 1, 3) / 30;
        const antiNeg = uni(rng, 2, 4) / 30;
        const antiComp = uni(rng, 1, 2) / 30;
        b.negativeAdd = (d) => (d < start ? 0 : d < anti ? thawNeg : d < switching ? antiNeg : 1 / 30);
        b.complaintAdd = (d) => (phase(d, anti, switching) ? antiComp : 0);
        b.handledAt = (d) => (phase(d, anti, switching) ? 0.5 : 0.95);
        b.pulse = (d, r) => (d < start ? usualPulse(r) : d < anti ? thawPulse(r) : r() < 0.3 ? 1 : 2);
      }
      const events = generate(rng, b, 0, lost + 90);
      if (!silent && rng() < 0.5) events.push({ t: uni(rng, anti, switching), kind: 'ALTERNATIVE_SUPPLIER' });
      const lastOrder = Math.max(...events.filter((e) => e.kind === 'ACTIVITY').map((e) => e.t));
      const truth = (d: number): ChurnStage => (d < start ? 'STABLE' : d < anti ? 'THAWING' : d < switching ? 'ANTI' : d < lost ? 'SWITCHING' : 'LOST');
      return {
        cls,
        events,
        from: Math.floor(start) - 60,
        to: Math.floor(lost) + 90,
        truth,
        marks: { start, anti, switching, lost, lastOrder },
        silent,
      };
    }
    case 'ordersStop': {
      const b = baseBehaviour(rng, [3, 10]);
      const stop = uni(rng, 365, 600);
      b.alive = (d) => d < stop;
      const events = generate(rng, b, 0, stop + 60);
      const lastOrder = Math.max(...events.filter((e) => e.kind === 'ACTIVITY').map((e) => e.t));
      const truth = (d: number): ChurnStage => (d < stop ? 'STABLE' : 'LOST');
      return { cls, events, from: Math.floor(stop) - 60, to: Math.floor(stop) + 60, truth, marks: { stop, lastOrder } };
    }
    case 'young': {
      const b = baseBehaviour(rng, [1, 10]);
      // Teething complaints: several, answered and resolved in time.
      b.complaints = uni(rng, 0.5, 1.5) / 30;
      b.handledAt = () => 1;
      return { cls, events: generate(rng, b, 0, 60), from: 0, to: 60, truth: stable, marks: {} };
    }
  }
}

/** The simulated relationship's ledger: entries in time order (seq follows time), complaints answered and resolved as drawn. */
export function ledgerOf(sim: Sim): LedgerEntry[] {
  type Row = { t: number; type: LedgerEntry['type']; payload: Record<string, unknown>; by: 'SUPPLIER' | 'CLIENT'; of?: Row; seq?: number };
  const rows: Row[] = [
    { t: -1, type: 'RELATIONSHIP_PROPOSED', payload: { supplierFirmId: 'supplier', clientFirmId: 'client' }, by: 'SUPPLIER' },
    { t: -1, type: 'RELATIONSHIP_ACCEPTED', payload: {}, by: 'CLIENT' },
  ];
  for (const e of sim.events) {
    const payload: Record<string, unknown> = { kind: e.kind, initiatedBy: 'CLIENT' };
    if (e.volume !== undefined) payload.volume = e.volume;
    if (e.score !== undefined) payload.score = e.score;
    const row: Row = { t: e.t, type: 'INTERACTION_RECORDED', payload, by: 'CLIENT' };
    rows.push(row);
    if (e.kind === 'COMPLAINT') {
      rows.push({ t: e.t + (e.respondH as number) / 24, type: 'COMPLAINT_RESPONDED', payload: {}, by: 'SUPPLIER', of: row });
      rows.push({ t: e.t + (e.resolveD as number), type: 'COMPLAINT_RESOLVED', payload: {}, by: 'SUPPLIER', of: row });
    }
  }
  // Stable sort: a follow-up always comes after its complaint, which is earlier in time.
  rows.sort((a, b) => a.t - b.t);
  return rows.map((r, i) => {
    r.seq = i + 1;
    const at = new Date(EPOCH + Math.max(0, r.t) * DAY).toISOString();
    return {
      relationshipId: 'sim',
      seq: r.seq,
      type: r.type,
      payload: r.of ? { interactionSeq: r.of.seq } : r.payload,
      actorFirmId: r.by === 'SUPPLIER' ? 'supplier' : 'client',
      occurredAt: at,
      recordedAt: at,
      prevHash: '',
      hash: String(r.seq),
    } as LedgerEntry;
  });
}

/** The time a day is read: 18:00 UTC. */
const readAt = (day: number) => new Date(EPOCH + day * DAY + 18 * HOUR).toISOString();

/** The detector's stage on each day read, through the engine (one scorecardSeries per relationship). */
export function engineStages(sim: Sim, entries: LedgerEntry[], policy?: PolicyOverride): ChurnStage[] {
  const points: string[] = [];
  for (let d = sim.from; d < sim.to; d++) points.push(readAt(d));
  return scorecardSeries(entries, points, policy ? { policy } : {}).map((c) => c.churn.stage);
}

/**
 * The baseline: a points score of the kind customer-success tools use (fixed thresholds, not
 * read against the client's own norm), on the same events. Points: 2 per complaint and 1 per
 * negative contact in the last 30 days; 3 when the latest pulse (90 days) is 2 or lower; 4 for an
 * alternative supplier named in 90 days; 2 for no positive contact in 30 days;
 * 3 for no order in 30 days. Stage: LOST after 8 weeks without an order; ≥ 8 points SWITCHING;
 * ≥ 5 ANTI; ≥ 3 THAWING.
 */
export function baselineStages(sim: Sim): ChurnStage[] {
  const ev = [...sim.events].sort((a, b) => a.t - b.t);
  const out: ChurnStage[] = [];
  for (let d = sim.from; d < sim.to; d++) {
    const now = d + 0.75;
    let points = 0;
    let lastOrder: number | null = null;
    let lastPulse: number | null = null;
    let positive = 0;
    let hadPositive = false;
    for (const e of ev) {
      if (e.t > now) break;
      const age = now - e.t;
      if (e.kind === 'ACTIVITY') lastOrder = e.t;
      else if (e.kind === 'COMPLAINT' && age <= 30) points += 2;
      else if (e.kind === 'NEGATIVE_CONTACT' && age <= 30) points += 1;
      else if (e.kind === 'SATISFACTION' && age <= 90) lastPulse = e.score as number;
      else if (e.kind === 'ALTERNATIVE_SUPPLIER' && age <= 90) points += 4;
      else if (e.kind === 'POSITIVE_CONTACT') {
        hadPositive = true;
        if (age <= 30) positive++;
      }
    }
    if (lastPulse !== null && lastPulse <= 2) points += 3;
    if (hadPositive && positive === 0) points += 2;
    if (lastOrder !== null && now - lastOrder > 30) points += 3;
    const lost = lastOrder !== null && now - lastOrder > 56;
    out.push(lost ? 'LOST' : points >= 8 ? 'SWITCHING' : points >= 5 ? 'ANTI' : points >= 3 ? 'THAWING' : 'STABLE');
  }
  return out;
}

/** Figures of one class for one reader (the detector or the baseline). */
export type Figures = Record<string, number>;

const median = (xs: number[]) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Runs of stage ≥ level. */
function episodes(stages: readonly ChurnStage[], level: number): number {
  let n = 0;
  let on = false;
  for (const s of stages) {
    const now = LEVEL[s] >= level;
    if (now && !on) n++;
    on = now;
  }
  return n;
}
const changes = (stages: readonly ChurnStage[]) => stages.reduce((n, s, i) => n + (i > 0 && s !== stages[i - 1] ? 1 : 0), 0);

/** The class's figures from the daily stages of each relationship. */
export function figures(cls: ClassName, sims: readonly Sim[], stages: readonly ChurnStage[][]): Figures {
  const years = sims.reduce((y, s) => y + (s.to - s.from) / 365, 0);
  const days = sims.reduce((n, s) => n + (s.to - s.from), 0);
  const count = (f: (s: ChurnStage, day: number, sim: Sim) => boolean) =>
    sims.reduce((n, sim, i) => n + stages[i].filter((s, j) => f(s, sim.from + j, sim)).length, 0);
  const day = (sim: Sim, j: number) => sim.from + j;
  switch (cls) {
    case 'steady':
    case 'seasonal':
    case 'lowVolume': {
      const f: Figures = {
        flaggedPct: (100 * count((s) => LEVEL[s] >= 1)) / days,
        antiEpisodesPerYear: stages.reduce((n, st) => n + episodes(st, 2), 0) / years,
        changesPerYear: stages.reduce((n, st) => n + changes(st), 0) / years,
      };
      if (cls === 'lowVolume') f.switchingClientsPct = (100 * stages.filter((st) => st.some((s) => LEVEL[s] >= 3)).length) / sims.length;
      return f;
    }
    case 'handledComplaint': {
      const thawDays = sims.map((sim, i) => stages[i].filter((s, j) => day(sim, j) >= sim.marks.complaint && LEVEL[s] >= 1).length);
      return {
        antiClientsPct: (100 * stages.filter((st) => st.some((s) => LEVEL[s] >= 2)).length) / sims.length,
        maxThawingDays: Math.max(...thawDays),
        medianThawingDays: median(thawDays),
      };
    }
    case 'repairedThaw': {
      let detected = 0;
      let antiDays = 0;
      let thawDays = 0;
      const back: number[] = [];
      sims.forEach((sim, i) => {
        const st = stages[i];
        let first: number | null = null;
        let lastFlag = -1;
        st.forEach((s, j) => {
          const d = day(sim, j);
          if (d >= sim.marks.start && d < sim.marks.repair) {
            thawDays++;
            if (LEVEL[s] >= 2) antiDays++;
            if (first === null && LEVEL[s] >= 1) first = d;
          }
          if (d >= sim.marks.repair && LEVEL[s] >= 1) lastFlag = d;
        });
        if (first !== null && first - sim.marks.start <= 21) detected++;
        back.push(lastFlag < 0 ? 0 : lastFlag + 1 - sim.marks.repair);
      });
      return {
        detectedWithin21Pct: (100 * detected) / sims.length,
        antiPctOfThawDays: (100 * antiDays) / thawDays,
        backWithin21Pct: (100 * back.filter((b) => b <= 21).length) / sims.length,
        medianDaysBackToStable: median(back),
      };
    }
    case 'slowDrift': {
      const lead: number[] = [];
      const antiLead: number[] = [];
      const lostAfter: number[] = [];
      sims.forEach((sim, i) => {
        const st = stages[i];
        const lost = sim.marks.lastOrder;
        // The alarm that stays on: THAWING or worse every day from its start up to the last order.
        let on: number | null = null;
        let firstAnti: number | null = null;
        let shown: number | null = null;
        st.forEach((s, j) => {
          const d = day(sim, j);
          if (d <= lost) {
            if (LEVEL[s] >= 1) on ??= d;
            else on = null;
            if (LEVEL[s] >= 2 && firstAnti === null && d >= sim.marks.start) firstAnti = d;
          } else if (s === 'LOST' && shown === null) shown = d;
        });
        lead.push(on === null ? 0 : lost - on);
        antiLead.push(firstAnti === null ? 0 : lost - firstAnti);
        lostAfter.push(shown === null ? 90 : shown - lost);
      });
      return {
        medianAlarmLead: median(lead),
        medianFirstAntiLead: median(antiLead),
        medianLostAfterLastOrder: median(lostAfter),
        p90LostAfterLastOrder: quantile(lostAfter, 0.9),
      };
    }
    case 'ordersStop': {
      const toSwitch: number[] = [];
      const toLost: number[] = [];
      sims.forEach((sim, i) => {
        const st = stages[i];
        let sw: number | null = null;
        let lo: number | null = null;
        st.forEach((s, j) => {
          const d = day(sim, j);
          if (d < sim.marks.lastOrder) return;
          if (LEVEL[s] >= 3) sw ??= d;
          if (s === 'LOST') lo ??= d;
        });
        toSwitch.push(sw === null ? 60 : sw - sim.marks.lastOrder);
        toLost.push(lo === null ? 60 : lo - sim.marks.lastOrder);
      });
      return {
        medianDaysToSwitching: median(toSwitch),
        p90DaysToSwitching: quantile(toSwitch, 0.9),
        medianDaysToLost: median(toLost),
        p90DaysToLost: quantile(toLost, 0.9),
      };
    }
    case 'young':
      return { flaggedClientsPct: (100 * stages.filter((st) => st.some((s) => LEVEL[s] >= 1)).length) / sims.length };
  }
}

/** A target: figure, comparison and bound, and which way is better (for "better than the baseline"). */
export interface Target {
  figure: string;
  label: string;
  op: '<=' | '>=';
  bound: number;
}

/** A steady client's targets, the same whether or not its business is seasonal (issue 9). */
const STEADY_TARGETS: Target[] = [
  { figure: 'flaggedPct', label: 'flagged (THAWING or worse), % of days', op: '<=', bound: 3 },
  { figure: 'antiEpisodesPerYear', label: 'ANTI-or-worse episodes per client-year', op: '<=', bound: 0.1 },
  { figure: 'changesPerYear', label: 'stage changes per client-year', op: '<=', bound: 3 },
];

/** The targets per class (issue 9), as figures of `figures`. */
export const TARGETS: Record<ClassName, Target[]> = {
  steady: STEADY_TARGETS,
  seasonal: STEADY_TARGETS,
  lowVolume: [
    { figure: 'flaggedPct', label: 'flagged, % of days', op: '<=', bound: 5 },
    { figure: 'switchingClientsPct', label: 'clients ever SWITCHING between ordinary orders, %', op: '<=', bound: 0 },
  ],
  handledComplaint: [
    { figure: 'antiClientsPct', label: 'clients ever ANTI, %', op: '<=', bound: 0 },
    { figure: 'maxThawingDays', label: 'THAWING days after the complaint (max over clients)', op: '<=', bound: 14 },
  ],
  repairedThaw: [
    { figure: 'detectedWithin21Pct', label: 'thaws flagged within 21 days, %', op: '>=', bound: 85 },
    { figure: 'antiPctOfThawDays', label: 'ANTI or worse, % of thaw days', op: '<=', bound: 5 },
    { figure: 'medianDaysBackToStable', label: 'days from repair back to STABLE (median)', op: '<=', bound: 21 },
  ],
  slowDrift: [
    { figure: 'medianAlarmLead', label: 'alarm on without a break before the last order, days (median)', op: '>=', bound: 70 },
    { figure: 'medianFirstAntiLead', label: 'first ANTI before the last order, days (median)', op: '>=', bound: 55 },
    { figure: 'medianLostAfterLastOrder', label: 'LOST shown after the last order, days (median)', op: '<=', bound: 30 },
  ],
  ordersStop: [
    { figure: 'medianDaysToSwitching', label: 'days to SWITCHING after the last order (median)', op: '<=', bound: 14 },
    { figure: 'medianDaysToLost', label: 'days to LOST after the last order (median)', op: '<=', bound: 30 },
  ],
  young: [{ figure: 'flaggedClientsPct', label: 'flagged at all in the first two months, % of clients', op: '<=', bound: 5 }],
};

/** Whether a figure meets its target. */
export const meets = (t: Target, x: number) => (t.op === '<=' ? x <= t.bound : x >= t.bound);
/** Whether the detector's figure is at least as good as the baseline's (ties count when both meet the bound exactly, e.g. 0 and 0). */
export const better = (t: Target, detector: number, baseline: number) => (t.op === '<=' ? detector <= baseline : detector >= baseline);

/**
 * The backtest of one class: `n` relationships from `seed`, read by the detector (with the default
 * policy, or `policy` when given: a policy override, e.g. `{ churn: { evidenceThreshold: 4 } }`)
 * and the baseline.
 */
export function backtest(
  cls: ClassName,
  n: number,
  seed: number,
  policy?: PolicyOverride,
): { detector: Figures; baseline: Figures; sims: Sim[]; stages: ChurnStage[][] } {
  const rng = mulberry32(seed ^ (CLASSES.indexOf(cls) * 0x9e3779b1));
  const sims: Sim[] = [];
  const det: ChurnStage[][] = [];
  const base: ChurnStage[][] = [];
  for (let i = 0; i < n; i++) {
    const sim = simulate(cls, rng);
    sims.push(sim);
    det.push(engineStages(sim, ledgerOf(sim), policy));
    base.push(baselineStages(sim));
  }
  return { detector: figures(cls, sims, det), baseline: figures(cls, sims, base), sims, stages: det };
}
