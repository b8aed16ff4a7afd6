import { describe, expect, it } from 'vitest';
import { validatePayload } from '../src/index.ts';

// `wellFormed`: the caller checked every string already (the API's mutations check their whole
// input), so the payload is walked for lone surrogates and NUL only when the schema refuses it.
describe('validatePayload with wellFormed', () => {
  const base = ['input', 'entries', 3, 'payload'];
  const cases: [string, unknown][] = [
    ['valid', { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: ' late shipment ' }],
    ['refused by the schema', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', note: 'no volume', extra: 1 }],
    ['refused, with a lone surrogate too', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', note: 'bad \uD800', volume: -1 }],
    ['refused, with NUL in a field name', { kind: 'SATISFACTION', initiatedBy: 'CLIENT', 'sc\u0000ore': 3 }],
    ['not an object', 'payload'],
    ['absent', undefined],
  ];
  for (const [what, payload] of cases)
    it(`answers as without it: ${what}`, () => {
      const checked = validatePayload('INTERACTION_RECORDED', payload, base, { wellFormed: true });
      expect(checked).toEqual(validatePayload('INTERACTION_RECORDED', payload, base));
    });

  it('reports the lone surrogate first, with its path, when the schema refuses the payload too', () => {
    const out = validatePayload('INTERACTION_RECORDED', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', note: 'bad \uD800', volume: -1 }, base, { wellFormed: true });
    expect(out.success).toBe(false);
    expect(!out.success && out.issues).toEqual([expect.objectContaining({ path: [...base, 'note'], message: expect.stringMatching(/lone UTF-16 surrogate \(U\+D800\)/) })]);
  });
});
