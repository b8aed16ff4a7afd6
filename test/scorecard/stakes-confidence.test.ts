import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { fetchLedger, record, replay } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, type TestServer, testClock } from '../support/server.ts';
import { Story } from '../support/story.ts';

/** Issue 10 through the API: the orderings a procurement lead expects, and the served figures equal the SDK's. */

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const BANDED = ['TRUSTED', 'SOLID', 'WATCH', 'AT_RISK', 'CRITICAL'];
const PARTY = `trustScore band confidence evidence
  reliability { score status evidence drivers { effect reason stake { amount currency typical ratio weight } } }
  transparency { score status } responsiveness { score status } goalAttainment { score status }`;
const CARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $asOf) { supplier { ${PARTY} } client { ${PARTY} } } } } }`;

async function pair(ts: TestServer, name: string, start: number, client?: TestFirm) {
  const supplier = await ts.firm(`${name} supplier`);
  const buyer = client ?? (await ts.firm(`${name} client`));
  const rel = await activeRelationship({ supplier, client: buyer }, iso(start));
  return { supplier, client: buyer, rel };
}

/** The served scorecard, checked against the SDK's recomputation of the fetched ledger. */
async function served(reader: TestFirm, rel: string, asOf: string) {
  const card = ok(await reader.gql(CARD, { id: rel, asOf })).node.scorecard;
  const local = computeScorecard(await fetchLedger(reader, rel), { asOf });
  for (const side of ['supplier', 'client'] as const) {
    expect(card[side].band).toBe(local[side].band);
    if (local[side].trustScore === null) expect(card[side].trustScore).toBeNull();
    else expect(card[side].trustScore).toBeCloseTo(local[side].trustScore, 9);
    expect(card[side].confidence).toBeCloseTo(local[side].confidence, 9);
  }
  return card;
}

test('a late EUR 200,000 invoice weighs more than a late EUR 20 one; a first invoice in another currency is not compared', async () => {
  await using ts = await startTestServer();
  const start = Date.now() - 500 * DAY;
  const asOf = iso(Date.now() - DAY);
  const clientOf = async (name: string, last: { amount: number; currency: string }) => {
    const { client, rel } = await pair(ts, name, start);
    const s = new Story(start + DAY);
    for (let i = 0; i < 50; i++) {
      const p = s.promise('CLIENT', 'PAYMENT', `invoice ${i + 1}`, 14, { amount: 20, currency: 'EUR' });
      s.later(7).add('PROMISE_KEPT', { promiseSeq: p.seq });
    }
    const big = s.promise('CLIENT', 'PAYMENT', 'invoice 51', 14, last);
    s.later(74).add('PROMISE_KEPT', { promiseSeq: big.seq });
    await record(client, rel, s.entries);
    return (await served(client, rel, asOf)).client;
  };
  const small = await clientOf('small', { amount: 20, currency: 'EUR' });
  const big = await clientOf('big', { amount: 200_000, currency: 'EUR' });
  const yen = await clientOf('yen', { amount: 200_000, currency: 'JPY' });
  expect(big.trustScore).toBeLessThan(small.trustScore);
  expect(BANDED.indexOf(big.band)).toBeGreaterThan(BANDED.indexOf(small.band));
  expect(yen.trustScore).toBeCloseTo(small.trustScore, 6);
  const driver = big.reliability.drivers.find((d: { effect: number }) => d.effect < 0);
  expect(driver.stake).toMatchObject({ amount: 200_000, currency: 'EUR', weight: 10 });
  expect(driver.stake.ratio).toBeGreaterThan(1_000);
  expect(driver.reason).toMatch(/EUR 200,000: 10,000× the usual payment/);
});

test('a hundred trivial self-kept promises do not lift a supplier with three deliveries broken without notice to SOLID', async () => {
  await using ts = await startTestServer();
  const start = Date.now() - 120 * DAY;
  const { supplier, client, rel } = await pair(ts, 'padding', start);
  const s = new Story(start + DAY);
  const broken: number[] = [];
  for (let i = 0; i < 3; i++) {
    const p = s.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 10);
    broken.push(p.seq);
    s.later(5);
  }
  await record(supplier, rel, s.entries);
  // The client says they were broken (the due dates passed without a word).
  await record(
    client,
    rel,
    broken.map((seq, i) => ({ type: 'PROMISE_BROKEN', occurredAt: iso(start + (20 + i * 5) * DAY), payload: { promiseSeq: seq, reason: 'never arrived' } })),
  );
  const before = (await served(client, rel, iso(Date.now() - DAY))).supplier;
  const t = new Story(start + 40 * DAY);
  const offset = 3 + 3; // seqs taken by the deliveries and the breaks
  const replies: typeof t.entries = [];
  for (let i = 0; i < 100; i++) {
    const seq = 2 + offset + replies.length + 1;
    replies.push({ type: 'PROMISE_MADE', occurredAt: iso(t.time), payload: { promisor: 'SUPPLIER', kind: 'RESPONSE', description: `reply to email ${i + 1} within an hour`, dueAt: iso(t.time + DAY / 24) } });
    replies.push({ type: 'PROMISE_KEPT', occurredAt: iso(t.time + DAY / 48), payload: { promiseSeq: seq } });
    t.later(0.5);
  }
  await record(supplier, rel, replies);
  const after = (await served(client, rel, iso(Date.now() - DAY))).supplier;
  expect(after.trustScore).toBeGreaterThan(before.trustScore);
  expect(['WATCH', 'AT_RISK', 'CRITICAL']).toContain(after.band);
});

test('bands need evidence: one promise kept is PROVISIONAL, one broken ten years ago is UNRATED; the review ranks them after the banded and filters them', async () => {
  await using ts = await startTestServer();
  const buyer = await ts.firm('Procurement');
  const now = Date.now();
  const steady = await pair(ts, 'Steady', now - 300 * DAY, buyer);
  const s = new Story(now - 299 * DAY);
  const keeps: number[] = [];
  for (let i = 0; i < 20; i++) {
    const p = s.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 10);
    keeps.push(s.later(9).add('PROMISE_KEPT', { promiseSeq: p.seq }));
  }
  await record(steady.supplier, steady.rel, s.entries);
  // Recorded today by the supplier, its keeps are claims until the client attests them (DESIGN §2a).
  await record(steady.client, steady.rel, keeps.map((entrySeq) => ({ type: 'ENTRY_CONFIRMED', occurredAt: iso(now - 120_000), payload: { entrySeq } })));
  const newcomer = await pair(ts, 'Newcomer', now - 30 * DAY, buyer);
  const n = new Story(now - 20 * DAY);
  const p = n.promise('SUPPLIER', 'DELIVERY', 'first delivery', 10);
  n.later(9).add('PROMISE_KEPT', { promiseSeq: p.seq });
  await record(newcomer.supplier, newcomer.rel, n.entries);
  const old = await pair(ts, 'Old', now - 3_660 * DAY, buyer);
  const o = new Story(now - 3_655 * DAY);
  const q = o.promise('SUPPLIER', 'DELIVERY', 'sofa', 5);
  o.later(10).add('PROMISE_BROKEN', { promiseSeq: q.seq, reason: 'no stock' });
  await record(old.supplier, old.rel, o.entries);
  await pair(ts, 'Silent', now - 10 * DAY, buyer);

  const asOf = iso(now - 60_000);
  const [a, b, c] = [await served(buyer, steady.rel, asOf), await served(buyer, newcomer.rel, asOf), await served(buyer, old.rel, asOf)];
  expect(a.supplier.band).toBe('TRUSTED');
  expect(b.supplier.band).toBe('PROVISIONAL');
  expect(b.supplier.trustScore).toBeGreaterThan(50);
  expect(c.supplier).toMatchObject({ band: 'UNRATED', trustScore: null, reliability: { status: 'FADED' } });

  const REVIEW = `query($asOf: DateTime, $order: ReviewOrder, $bands: [TrustBand!]) { viewer { review(as: CLIENT, asOf: $asOf, orderBy: $order, bands: $bands) {
    edges { node { counterparty { name } band trustScore } } } } }`;
  const names = async (order: string, bands?: string[]) =>
    ok(await buyer.gql(REVIEW, { asOf, order, bands })).viewer.review.edges.map((e: { node: { counterparty: { name: string } } }) => e.node.counterparty.name);
  for (const order of ['TRUST_SCORE_ASC', 'TRUST_SCORE_DESC']) {
    const list = await names(order);
    expect(list.slice(0, 2)).toEqual(['Steady supplier', 'Newcomer supplier']);
    expect(new Set(list.slice(2))).toEqual(new Set(['Old supplier', 'Silent supplier']));
  }
  expect(await names('TRUST_SCORE_ASC', ['PROVISIONAL'])).toEqual(['Newcomer supplier']);
});

test('a clean record reads at least as confident as a mediocre one; an announced slip or a complaint answered in the hour costs a strong record little', async () => {
  // Recorded as it happens (DESIGN §2a: notice and speed are judged by the server's clock).
  const clock = testClock();
  await using ts = await startTestServer({ now: clock.now });
  const start = Date.now() - 700 * DAY;
  const asOf = iso(Date.now() - DAY);
  const run = async (name: string, opts: { every?: number; complaints?: number; extra?: 'notice' | 'late' | 'complaint' }) => {
    const { supplier, client, rel } = await pair(ts, name, start);
    const s = new Story(start + DAY);
    const mine: typeof s.entries = [];
    const theirs: { at: number; seq: number }[] = [];
    const n = 120;
    for (let i = 0; i < n; i++) {
      const p = s.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 5);
      if (opts.every && i % opts.every === opts.every - 1) {
        s.later(3).add('PROMISE_RESCHEDULED', { promiseSeq: p.seq, newDueAt: iso(s.time + 5 * DAY), reason: 'truck broke down' });
        s.later(4).add('PROMISE_KEPT', { promiseSeq: p.seq });
      } else s.later(4).add('PROMISE_KEPT', { promiseSeq: p.seq });
      if (opts.complaints && i % Math.floor(n / opts.complaints) === 0) {
        const c = s.interaction('COMPLAINT', 'CLIENT', { note: `complaint ${i}` });
        theirs.push({ at: s.time, seq: c });
        s.later(2).add('COMPLAINT_RESOLVED', { interactionSeq: c });
      }
    }
    if (opts.extra === 'notice') {
      const p = s.promise('SUPPLIER', 'DELIVERY', 'one more', 5);
      s.later(3).add('PROMISE_RESCHEDULED', { promiseSeq: p.seq, newDueAt: iso(s.time + 5 * DAY), reason: 'truck broke down' });
      s.later(4).add('PROMISE_KEPT', { promiseSeq: p.seq });
    }
    if (opts.extra === 'late') {
      const p = s.promise('SUPPLIER', 'DELIVERY', 'one more', 5);
      s.later(7).add('PROMISE_KEPT', { promiseSeq: p.seq });
    }
    if (opts.extra === 'complaint') {
      const c = s.interaction('COMPLAINT', 'CLIENT', { note: 'wrong colour' });
      theirs.push({ at: s.time, seq: c });
      s.later(1 / 48).add('COMPLAINT_RESOLVED', { interactionSeq: c });
    }
    // Complaints are raised by the client; everything else is the supplier's to record.
    await replay({ supplier, client }, rel, s.entries, clock);
    return (await served(client, rel, asOf)).supplier;
  };
  const clean = await run('clean', {});
  const mediocre = await run('mediocre', { every: 5, complaints: 12 });
  expect(clean.confidence).toBeGreaterThanOrEqual(mediocre.confidence);
  expect(clean.transparency.status).toBe('NOT_APPLICABLE');
  expect(clean.responsiveness.status).toBe('NOT_APPLICABLE');
  const [notice, late, complaint] = [await run('notice', { extra: 'notice' }), await run('late', { extra: 'late' }), await run('complaint', { extra: 'complaint' })];
  expect(notice.band).toBe(clean.band);
  expect(notice.trustScore).toBeGreaterThan(late.trustScore);
  expect(complaint.band).toBe(clean.band);
  expect(complaint.trustScore).toBeGreaterThanOrEqual(clean.trustScore - 0.5);
});

test('keepPromise with a share keeps the promise open with what was delivered; the rest closes it; bad shares are refused', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, iso(Date.now() - 30 * DAY));
  const PROMISE = 'promise { state outcome deliveredShare }';
  const ERRORS = 'errors { code message path }';
  const made = ok(
    await ts.supplier.gql(`mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } ${ERRORS} } }`, {
      i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'kitchen cabinets', dueAt: iso(Date.now() + 5 * DAY), occurredAt: iso(Date.now() - 5 * DAY) },
    }),
  ).makePromise.promise.id;
  const keep = (input: Record<string, unknown>) =>
    ts.supplier.gql(`mutation($i: KeepPromiseInput!) { keepPromise(input: $i) { ${PROMISE} ${ERRORS} } }`, { i: { promiseId: made, ...input } });
  for (const bad of [{ share: 0 }, { share: 1.5 }, { share: 0.5, inFull: false }]) {
    const res = ok(await keep(bad)).keepPromise;
    expect(res.errors[0]).toMatchObject({ code: 'VALIDATION' });
    expect(res.promise).toBeNull();
  }
  const part = ok(await keep({ share: 0.6, occurredAt: iso(Date.now() - 2 * DAY) })).keepPromise;
  expect(part.errors).toEqual([]);
  expect(part.promise).toEqual({ state: 'OPEN', outcome: null, deliveredShare: 0.6 });
  const rest = ok(await keep({ occurredAt: iso(Date.now() - DAY) })).keepPromise;
  expect(rest.promise).toEqual({ state: 'KEPT', outcome: 'KEPT_ON_TIME', deliveredShare: 1 });
  const card = await served(ts.client, rel, iso(Date.now()));
  expect(card.supplier.reliability.evidence).toBe(1);
  expect(card.supplier.reliability.drivers.map((d: { reason: string }) => d.reason).join(' | ')).toMatch(/60% of it/);
});
