/**
 * Money is checked against its currency's ISO 4217 minor unit when it is written (test/api/inputs.test.ts);
 * entries already in a ledger are read as stored: a ledger written before the check, holding a
 * promise of JPY 5.5, still verifies (SHA-256 over RFC 8785) and still scores.
 */
import { GENESIS_HASH, hashEntry, validatePayload } from '@trustledger/schema';
import { verifyLedger } from '@trustledger/sdk';
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';

test('a stored promise of JPY 5.5 verifies and scores; the same payload is refused as new input', () => {
  const base = { relationshipId: 'rel_old', actorFirmId: 'firm_s', recordedAt: '2025-01-01T00:00:00.000Z' };
  const raw = [
    { type: 'RELATIONSHIP_PROPOSED', payload: { supplierFirmId: 'firm_s', clientFirmId: 'firm_c' }, occurredAt: '2025-01-01T00:00:00.000Z' },
    { type: 'RELATIONSHIP_ACCEPTED', payload: {}, occurredAt: '2025-01-01T00:00:00.000Z', actorFirmId: 'firm_c' },
    { type: 'PROMISE_MADE', payload: { promisor: 'SUPPLIER', kind: 'PAYMENT', description: 'Refund', dueAt: '2025-02-01T00:00:00.000Z', amount: { amount: 5.5, currency: 'JPY' } }, occurredAt: '2025-01-10T00:00:00.000Z' },
    { type: 'PROMISE_KEPT', payload: { promiseSeq: 3, inFull: true }, occurredAt: '2025-01-20T00:00:00.000Z' },
  ];
  let prevHash = GENESIS_HASH;
  const ledger = raw.map((e, i) => {
    const fields = { ...base, ...e, seq: i + 1, prevHash };
    const entry = { ...fields, hash: hashEntry(fields as never) };
    prevHash = entry.hash;
    return entry;
  });
  expect(verifyLedger(ledger as never)).toMatchObject({ ok: true, head: { seq: 4, hash: prevHash } });
  const card = computeScorecard(ledger as never, { asOf: '2025-03-01T00:00:00.000Z' });
  expect(card.supplier.reliability.evidence).toBe(1);
  expect(card.head).toEqual({ seq: 4, hash: prevHash });
  const refused = validatePayload('PROMISE_MADE', raw[2].payload);
  expect(refused.success).toBe(false);
  if (!refused.success) expect(refused.issues[0]).toMatchObject({ path: ['amount', 'amount'], message: expect.stringMatching(/JPY has no minor unit/) });
});
