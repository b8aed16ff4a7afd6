import { hashEntry } from '@trustledger/schema';
import { type LedgerRecord, verifyLedger } from '@trustledger/sdk';
import { expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { activePair } from './helpers.ts';

async function ledgerWithEntries(ts: TestServer, promises = 6) {
  const pair = await activePair(ts);
  for (let i = 0; i < promises; i++)
    await pair.supplier.promises.make({
      relationshipId: pair.relationshipId,
      promisor: 'SUPPLIER',
      kind: 'PAYMENT',
      description: `Invoice ${i}`,
      dueAt: '2027-01-01T00:00:00Z',
      amount: { amount: 1000 + i, currency: 'EUR' },
    });
  return pair;
}

it('verifies a fetched ledger (several pages) and returns its head', async () => {
  await using ts = await startTestServer();
  const { client, relationshipId } = await ledgerWithEntries(ts, 120);
  const entries = await client.relationships.ledgerEntries(relationshipId);
  expect(entries).toHaveLength(122);
  expect(entries[0]).toMatchObject({ seq: 1, actorFirmId: ts.supplier.rawId, actorId: ts.supplier.rawId });
  const { head } = await client.relationships.get(relationshipId);
  expect(verifyLedger(entries)).toEqual({ ok: true, head });
  expect(verifyLedger(entries, { pinnedHead: { seq: 50, hash: entries[49].hash } })).toEqual({ ok: true, head });
});

it("detects a tampered payload at that entry's seq", async () => {
  await using ts = await startTestServer();
  const { client, relationshipId } = await ledgerWithEntries(ts);
  const entries = await client.relationships.ledgerEntries(relationshipId);
  const tampered = entries.map((e) => (e.seq === 5 ? { ...e, payload: { ...(e.payload as object), amount: { amount: 1, currency: 'EUR' } } } : e));
  expect(verifyLedger(tampered)).toMatchObject({ ok: false, seq: 5, reason: 'HASH_MISMATCH' });
  const dropped = entries.filter((e) => e.seq !== 4);
  expect(verifyLedger(dropped)).toMatchObject({ ok: false, seq: 5, reason: 'SEQ_GAP' });
});

it('fails the pinned-head check when the server rewrites history, even consistently re-hashed', async () => {
  await using ts = await startTestServer();
  const { client, supplier, relationshipId } = await ledgerWithEntries(ts);
  const before = await client.relationships.ledgerEntries(relationshipId);
  const pinned = verifyLedger(before);
  if (!pinned.ok || !pinned.head) throw new Error('expected a verified ledger');

  // Growing the ledger keeps the pin valid.
  await supplier.interactions.record({ relationshipId, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' });
  const grown = await client.relationships.ledgerEntries(relationshipId);
  expect(verifyLedger(grown, { pinnedHead: pinned.head })).toMatchObject({ ok: true, head: { seq: pinned.head.seq + 1 } });

  // A malicious or broken server halves invoice 0 and re-hashes everything after it.
  await rewriteFrom(ts, grown, 3, (payload) => ({ ...payload, amount: { amount: 500, currency: 'EUR' } }));
  const rewritten = await client.relationships.ledgerEntries(relationshipId);
  expect(rewritten[2].payload).toMatchObject({ amount: { amount: 500 } });
  expect(verifyLedger(rewritten)).toMatchObject({ ok: true }); // the chain alone cannot tell
  expect(verifyLedger(rewritten, { pinnedHead: pinned.head })).toMatchObject({ ok: false, seq: pinned.head.seq, reason: 'PINNED_HEAD_MISMATCH' });
  expect(verifyLedger(before.slice(0, 3), { pinnedHead: pinned.head })).toMatchObject({ ok: false, reason: 'PINNED_HEAD_MISSING' });
});

/** Rewrites the stored ledger from `seq` on with a changed payload, recomputing every later hash. */
async function rewriteFrom(ts: TestServer, entries: LedgerRecord[], seq: number, change: (p: Record<string, unknown>) => Record<string, unknown>) {
  let prevHash = entries[seq - 2].hash;
  for (const e of entries.filter((x) => x.seq >= seq)) {
    const payload = e.seq === seq ? change(e.payload as Record<string, unknown>) : e.payload;
    const hash = hashEntry({ ...e, payload, prevHash });
    await ts.rawSql('update entries set payload = ?, prev_hash = ?, hash = ? where relationship_id = ? and seq = ?', JSON.stringify(payload), prevHash, hash, e.relationshipId, e.seq);
    prevHash = hash;
  }
  await ts.rawSql('update relationships set head_hash = ? where id = ?', prevHash, entries[0].relationshipId);
}
