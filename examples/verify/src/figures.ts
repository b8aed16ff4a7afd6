/**
 * The figures of two scorecards side by side: the one the server served and the one computed
 * here from the verified ledger, each marked ✓ when they agree.
 */

interface Dimension {
  score: number | null;
  uncertainty: number;
  positive: number;
  negative: number;
  evidence: number;
}
interface Party {
  trustScore: number | null;
  band: string;
  confidence: number;
  medianFirstResponseHours: number | null;
  reliability: Dimension;
  transparency: Dimension;
  responsiveness: Dimension;
  goalAttainment: Dimension;
}
/** What both scorecards have: the SDK's served type and the engine's computed type fit it. */
export interface ScorecardFigures {
  head: { seq: number; hash: string } | null;
  supplier: Party;
  client: Party;
  churn: { stage: string; repairWindow: boolean; signals: readonly { name: string }[] };
}

export type Value = number | string | boolean | null;

export interface FigureRow {
  figure: string;
  served: Value;
  computed: Value;
  equal: boolean;
}

/**
 * Numbers agree within 1e-9 (relative above 1, as the SDK's own `scorecard(id, { verify: true })`
 * checks): the same function over the same entries gives the same floats, up to summation order.
 */
const agree = (a: Value, b: Value): boolean =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) : a === b;

const DIMENSIONS = ['reliability', 'transparency', 'responsiveness', 'goalAttainment'] as const;
const DIMENSION_FIELDS = ['score', 'uncertainty', 'positive', 'negative', 'evidence'] as const;

/** Every figure of the two scorecards, in reading order. */
export function compareFigures(served: ScorecardFigures, computed: ScorecardFigures): FigureRow[] {
  const rows: FigureRow[] = [];
  const add = (figure: string, s: Value, c: Value) => rows.push({ figure, served: s, computed: c, equal: agree(s, c) });
  add('head.seq', served.head?.seq ?? null, computed.head?.seq ?? null);
  add('head.hash', served.head?.hash ?? null, computed.head?.hash ?? null);
  for (const side of ['supplier', 'client'] as const) {
    const s = served[side];
    const c = computed[side];
    add(`${side}.trustScore`, s.trustScore, c.trustScore);
    add(`${side}.band`, s.band, c.band);
    add(`${side}.confidence`, s.confidence, c.confidence);
    add(`${side}.medianFirstResponseHours`, s.medianFirstResponseHours, c.medianFirstResponseHours);
    for (const dimension of DIMENSIONS)
      for (const field of DIMENSION_FIELDS) add(`${side}.${dimension}.${field}`, s[dimension][field], c[dimension][field]);
  }
  add('churn.stage', served.churn.stage, computed.churn.stage);
  add('churn.repairWindow', served.churn.repairWindow, computed.churn.repairWindow);
  const signals = (card: ScorecardFigures) => card.churn.signals.map((x) => x.name).join(', ') || '(none)';
  add('churn.signals', signals(served), signals(computed));
  return rows;
}

/** A value as a table cell: numbers to 6 decimals (exact comparison is the ✓'s job), hashes shortened. */
export function cell(value: Value): string {
  if (value === null) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) return `${value.slice(0, 12)}…`;
  return String(value);
}
