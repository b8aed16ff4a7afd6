import fc from 'fast-check';
import type { LedgerEntry } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { computeScorecard, foldLedger, scorecardSeries } from '../../src/scorecard/index.ts';
import { buildLedger, latest, opsWithStreamsArb } from './random-ledger.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** An entry whose fields are accessors of its class: none is an own property, so a walk of its keys finds nothing. */
class AccessorEntry {
  readonly #e: LedgerEntry;
  constructor(e: LedgerEntry) {
    this.#e = e;
  }
  get relationshipId() {
    return this.#e.relationshipId;
  }
  get seq() {
    return this.#e.seq;
  }
  get type() {
    return this.#e.type;
  }
  get payload() {
    return this.#e.payload;
  }
  get actorFirmId() {
    return this.#e.actorFirmId;
  }
  get occurredAt() {
    return this.#e.occurredAt;
  }
  get recordedAt() {
    return this.#e.recordedAt;
  }
  get prevHash() {
    return this.#e.prevHash;
  }
  get hash() {
    return this.#e.hash;
  }
}

/**
 * The same ledger as the objects a caller may hand the engine: as built (each its own hidden
 * class), one shape for all (JSON), keys in reverse order with an extra key, fields inherited from a
 * prototype, some fields not enumerable, fields only as accessors of a class.
 */
function shapes(entries: readonly LedgerEntry[]): [string, LedgerEntry[]][] {
  return [
    ['json', JSON.parse(JSON.stringify(entries)) as LedgerEntry[]],
    ['reversed keys, extra key', entries.map((e) => Object.fromEntries([['note', 'x'], ...Object.entries(e).reverse()]) as unknown as LedgerEntry)],
    ['inherited', entries.map((e) => Object.create(e) as LedgerEntry)],
    [
      'not enumerable',
      entries.map((e) => {
        const copy = { ...e };
        Object.defineProperty(copy, 'type', { value: e.type, enumerable: false });
        Object.defineProperty(copy, 'recordedAt', { value: e.recordedAt, enumerable: false });
        return copy;
      }),
    ],
    ['accessors', entries.map((e) => new AccessorEntry(e) as unknown as LedgerEntry)],
  ];
}

describe('the engine reads entries of any shape alike', () => {
  it('scorecards, states and series are byte-identical whatever objects carry the same entries', () => {
    fc.assert(
      fc.property(opsWithStreamsArb(60), fc.double({ min: 0, max: 1, noNaN: true }), (ops, cut) => {
        const entries = buildLedger(ops);
        if (entries.length === 0) return;
        const first = Date.parse(entries[0].occurredAt);
        const end = latest(entries);
        const asOfs = [iso(end + DAY), iso(first + (end - first) * cut)];
        const expected = JSON.stringify([foldLedger(entries), ...asOfs.map((asOf) => computeScorecard(entries, { asOf })), scorecardSeries(entries, asOfs)]);
        for (const [name, shaped] of shapes(entries)) {
          const got = JSON.stringify([foldLedger(shaped), ...asOfs.map((asOf) => computeScorecard(shaped, { asOf })), scorecardSeries(shaped, asOfs)]);
          expect(got, name).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});
