import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EntryType, payloadSchemas, validatePayload } from '../src/index.ts';

// validatePayload skips zod for plainly valid common payloads (issue 13): whatever it is given,
// it must answer as the entry type's schema does, with the same data, field order included.

const text = fc.oneof(
  fc.string({ minLength: 0, maxLength: 12 }),
  fc.constantFrom('', ' ', 'late shipment', ' padded ', 'tab\t', '\nline', 'x'.repeat(2000), 'y'.repeat(2001), 'z'.repeat(1000), 'w'.repeat(1001)),
);
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, 2, 3, 5, 6, -1, 0.5, 1.5, 1e-9, 2 ** 53, 2 ** 53 - 1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_VALUE),
  fc.integer({ min: -3, max: 1000 }),
  fc.double(),
);
const time = fc.oneof(
  fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-03-01T09:00:00Z', '2026-03-01T09:00:00+02:00', '2026-02-30T00:00:00.000Z', '2026-03-01', 'soon', '2026-03-01T24:00:00.000Z'),
);
/** Any value a field might be sent as: mostly of the right sort, sometimes not. */
const anything = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant({}), fc.constant([]));

function payload(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  return fc
    .record({
      // Each field: left out, of its own sort, or anything at all.
      values: fc.tuple(...names.map((n) => fc.oneof({ weight: 1, arbitrary: fc.constant(Symbol.for('absent')) }, { weight: 5, arbitrary: fields[n] }, { weight: 1, arbitrary: anything }))),
      extra: fc.option(fc.constantFrom('amount', 'other', '__proto__', 'constructor'), { freq: 8 }),
      order: fc.boolean(),
      nullProto: fc.boolean(),
      wrap: fc.constantFrom('object', 'object', 'object', 'object', 'null', 'array', 'string'),
    })
    .map(({ values, extra, order, nullProto, wrap }) => {
      if (wrap === 'null') return null;
      if (wrap === 'array') return [];
      if (wrap === 'string') return 'payload';
      const out: Record<string, unknown> = nullProto ? Object.create(null) : {};
      const pairs = names.map((n, i) => [n, values[i]] as const).filter(([, v]) => v !== Symbol.for('absent'));
      for (const [n, v] of order ? pairs : [...pairs].reverse()) out[n] = v;
      if (extra) Object.defineProperty(out, extra, { value: 1, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

const side = fc.constantFrom('SUPPLIER', 'CLIENT', 'supplier', 'BOTH');
const seq = fc.oneof(fc.integer({ min: 1, max: 100_000 }), number);
const goodSide = fc.constantFrom('SUPPLIER', 'CLIENT');
const goodText = fc.constantFrom('late shipment', 'x', 'order 12', 'y'.repeat(1000));
const goodSeq = fc.integer({ min: 1, max: 100_000 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Drops the fields left undefined: a payload as a client sends it. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const cases: [EntryType, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>][] = [
  [
    'INTERACTION_RECORDED',
    payload({
      kind: fc.constantFrom('ACTIVITY', 'SATISFACTION', 'COMPLAINT', 'POSITIVE_CONTACT', 'NEGATIVE_CONTACT', 'ALTERNATIVE_SUPPLIER', 'CHAT'),
      initiatedBy: side,
      note: text,
      volume: number,
      score: number,
    }),
    fc
      .record({ kind: fc.constantFrom('ACTIVITY', 'SATISFACTION', 'COMPLAINT', 'POSITIVE_CONTACT'), initiatedBy: goodSide, note: opt(goodText), volume: fc.double({ min: 0, max: 1e6, noNaN: true }), score: fc.integer({ min: 1, max: 5 }) })
      .map(({ kind, initiatedBy, note, volume, score }) => defined({ kind, initiatedBy, note, volume: kind === 'ACTIVITY' ? volume : undefined, score: kind === 'SATISFACTION' ? score : undefined })),
  ],
  [
    'PROMISE_MADE',
    payload({
      promisor: side,
      kind: fc.constantFrom('DELIVERY', 'PAYMENT', 'INSTALLATION', 'RESPONSE', 'OTHER', 'GIFT'),
      description: text,
      dueAt: time,
      amount: fc.constantFrom({ amount: 10, currency: 'EUR' }, { amount: -1, currency: 'EUR' }, { amount: 5, currency: 'XXX' }),
    }),
    fc.record({ promisor: goodSide, kind: fc.constantFrom('DELIVERY', 'PAYMENT'), description: goodText, dueAt: time }),
  ],
  [
    'PROMISE_KEPT',
    payload({ promiseSeq: seq, inFull: fc.oneof(fc.boolean(), anything), share: number }),
    fc.record({ promiseSeq: goodSeq, inFull: opt(fc.boolean()), share: opt(fc.double({ min: 0.01, max: 1, noNaN: true })) }).map((k) => defined(k.share === undefined ? k : { ...k, inFull: undefined })),
  ],
  ['COMPLAINT_RESPONDED', payload({ interactionSeq: seq, note: text }), fc.record({ interactionSeq: goodSeq, note: opt(goodText) }).map(defined)],
  ['COMPLAINT_RESOLVED', payload({ interactionSeq: seq, note: text }), fc.record({ interactionSeq: goodSeq, note: opt(goodText) }).map(defined)],
  ['ENTRY_CONFIRMED', payload({ entrySeq: seq }), fc.record({ entrySeq: goodSeq })],
  ['PROMISE_BROKEN', payload({ promiseSeq: seq, reason: text }), fc.record({ promiseSeq: goodSeq, reason: goodText })],
];

describe('validatePayload', () => {
  for (const [type, anyPayload, validPayload] of cases)
    it(`answers as the ${type} schema does, same data and field order, on any payload`, () => {
      let valid = 0;
      fc.assert(
        fc.property(fc.oneof(anyPayload, validPayload), (p) => {
          const ours = validatePayload(type, p);
          const zod = payloadSchemas[type].safeParse(p ?? {});
          expect(ours.success).toBe(zod.success);
          if (ours.success && zod.success) {
            valid++;
            expect(ours.data).toStrictEqual(zod.data);
            expect(Object.keys(ours.data as object)).toEqual(Object.keys(zod.data as object));
            expect(JSON.stringify(ours.data)).toBe(JSON.stringify(zod.data));
          }
        }),
        { numRuns: 3000 },
      );
      // The generator reaches valid payloads often enough for the comparison to mean something.
      expect(valid).toBeGreaterThan(500);
    });
});
