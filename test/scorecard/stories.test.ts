import { describe, expect, test } from 'vitest';
import { replay } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestClock, testClock, type TestFirm, type TestServer } from '../support/server.ts';
import { Story } from '../support/story.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const PARTY = `trustScore band reliability { score evidence } transparency { score evidence } responsiveness { score evidence } goalAttainment { score }`;
const CARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $asOf) {
  supplier { ${PARTY} } client { ${PARTY} } churn { stage repairWindow actions signals { name } } } } } }`;

async function scorecard(reader: TestFirm, rel: string, asOf?: string) {
  return ok(await reader.gql(CARD, { id: rel, asOf })).node.scorecard;
}

/** A fresh supplier–client pair in the same server, with an active relationship from `start`. */
async function pair(ts: TestServer, name: string, start: number) {
  const supplier = await ts.firm(`${name} supplier`);
  const client = await ts.firm(`${name} client`);
  const rel = await activeRelationship({ supplier, client }, iso(start));
  return { supplier, client, rel };
}

describe('custom furniture: the client pays 70% up front, the supplier promises an installation', () => {
  const variants = ['kept on time', 'rescheduled with notice, kept on the new date', 'kept late without notice', 'rescheduled, then the new date missed too'] as const;

  const start = Date.now() - 200 * DAY;
  const asOf = iso(start + 199 * DAY);

  async function furniture(ts: TestServer, clock: TestClock, variant: (typeof variants)[number]) {
    const { supplier, client, rel } = await pair(ts, variant, start);
    const s = new Story(start + DAY);
    const advance = s.promise('CLIENT', 'PAYMENT', '70% advance on the hotel lobby order', 7, { amount: 42_000, currency: 'EUR' });
    s.later(5).add('PROMISE_KEPT', { promiseSeq: advance.seq });
    s.at(start + 10 * DAY);
    const install = s.promise('SUPPLIER', 'INSTALLATION', 'install the lobby furniture', 30);
    if (variant === 'kept on time') s.at(install.dueAt - DAY).add('PROMISE_KEPT', { promiseSeq: install.seq });
    if (variant === 'rescheduled with notice, kept on the new date') {
      s.at(install.dueAt - 5 * DAY).add('PROMISE_RESCHEDULED', { promiseSeq: install.seq, newDueAt: iso(install.dueAt + 10 * DAY), reason: 'veneer delayed at the mill' });
      s.at(install.dueAt + 9 * DAY).add('PROMISE_KEPT', { promiseSeq: install.seq });
    }
    if (variant === 'kept late without notice') s.at(install.dueAt + 9 * DAY).add('PROMISE_KEPT', { promiseSeq: install.seq });
    if (variant === 'rescheduled, then the new date missed too') {
      s.at(install.dueAt - 5 * DAY).add('PROMISE_RESCHEDULED', { promiseSeq: install.seq, newDueAt: iso(install.dueAt + 10 * DAY), reason: 'veneer delayed at the mill' });
      s.at(install.dueAt + 20 * DAY).add('PROMISE_KEPT', { promiseSeq: install.seq });
    }
    // Each side records its own promises and their outcomes, as they happen.
    await replay({ supplier, client }, rel, s.entries, clock);
    return scorecard(client, rel, asOf);
  }

  test('supplier reliability orders the four variants strictly; notice shows in transparency; the client is unaffected', async () => {
    const clock = testClock();
    await using ts = await startTestServer({ now: clock.now });
    const cards = [];
    for (const v of variants) cards.push(await furniture(ts, clock, v));
    const reliability = cards.map((c) => c.supplier.reliability.score as number);
    for (let i = 1; i < reliability.length; i++) expect(reliability[i], `${variants[i]} below ${variants[i - 1]}`).toBeLessThan(reliability[i - 1]);
    // With notice, the slip counts for transparency; without, against it.
    const transparency = cards.map((c) => c.supplier.transparency.score);
    expect(transparency[1]).toBeGreaterThan(transparency[2]);
    expect(transparency[3]).toBeGreaterThan(transparency[2]); // the reschedule was announced, the renewed miss not
    expect(transparency[1]).toBeGreaterThan(transparency[3]);
    expect(cards[0].supplier.transparency.score).toBeNull(); // no slip: no evidence, not a perfect score
    // The client's kept advance payment is scored the same whatever the supplier did.
    const clientScores = cards.map((c) => c.client.reliability.score);
    expect(new Set(clientScores).size).toBe(1);
    expect(clientScores[0]).toBeGreaterThan(50);
  });
});

test('mutual: a supplier that keeps everything and a client that pays late, side by side', async () => {
  const clock = testClock();
  await using ts = await startTestServer({ now: clock.now });
  const start = Date.now() - 300 * DAY;
  const rel = await activeRelationship(ts, iso(start));
  const s = new Story(start + DAY);
  for (let month = 0; month < 9; month++) {
    s.at(start + (month * 30 + 1) * DAY);
    const delivery = s.promise('SUPPLIER', 'DELIVERY', `monthly delivery ${month + 1}`, 10);
    const invoice = s.promise('CLIENT', 'PAYMENT', `invoice ${month + 1}, net 30`, 30, { amount: 8_000, currency: 'EUR' });
    s.at(delivery.dueAt - DAY).add('PROMISE_KEPT', { promiseSeq: delivery.seq });
    s.at(invoice.dueAt + 12 * DAY).add('PROMISE_KEPT', { promiseSeq: invoice.seq });
  }
  await replay(ts, rel, s.entries, clock);
  const card = await scorecard(ts.client, rel);
  expect(card.supplier.reliability.evidence).toBe(9);
  expect(card.client.reliability.evidence).toBe(9);
  expect(card.supplier.reliability.score).toBeGreaterThan(80);
  expect(card.client.reliability.score).toBeLessThan(40);
  expect(card.supplier.trustScore).toBeGreaterThan(card.client.trustScore);
  expect(['TRUSTED', 'SOLID']).toContain(card.supplier.band);
  expect(['AT_RISK', 'CRITICAL']).toContain(card.client.band);
});

test('drift: Stable → Thawing → Anti → Switching → Lost over a year, and Thawing says repair is still possible', async () => {
  const clock = testClock();
  await using ts = await startTestServer({ now: clock.now });
  const start = Date.now() - 75 * 7 * DAY;
  const rel = await activeRelationship(ts, iso(start));
  const s = new Story(start);
  // Weekly orders and on-time deliveries; a weekly thank-you call until week 26; from week 34
  // complaints and angry calls; at week 42 a second supplier appears and orders halve; from week 52 none.
  for (let week = 0; week < 70; week++) {
    const monday = start + week * 7 * DAY;
    const volume = week < 42 ? 100 : week < 52 ? 50 : 0;
    if (volume > 0) {
      s.at(monday).interaction('ACTIVITY', 'CLIENT', { volume });
      const delivery = s.promise('SUPPLIER', 'DELIVERY', `order of week ${week}`, 4);
      s.later(3).add('PROMISE_KEPT', { promiseSeq: delivery.seq });
    }
    if (week < 26) s.at(monday + 2 * DAY).interaction('POSITIVE_CONTACT', 'CLIENT');
    if (week >= 34 && week < 52) {
      const complaint = s.at(monday + DAY).interaction('COMPLAINT', 'CLIENT', { note: 'wrong items in the shipment' });
      s.later(2).add('COMPLAINT_RESPONDED', { interactionSeq: complaint });
      s.later(1).interaction('NEGATIVE_CONTACT', 'CLIENT');
    }
    if (week === 42) s.at(monday + DAY).interaction('ALTERNATIVE_SUPPLIER', 'CLIENT', { note: 'trialling a second supplier' });
    if (week % 4 === 0 && week < 52) s.at(monday + 4 * DAY).interaction('SATISFACTION', 'CLIENT', { score: week < 34 ? 4 : 2 });
  }
  // Each side records what it may author, as it happens.
  await replay(ts, rel, s.entries, clock);

  const weeks = Array.from({ length: 36 }, (_, i) => 2 * i + 2);
  const points = weeks.map((w) => iso(start + (w * 7 + 5) * DAY));
  const series = ok(
    await ts.supplier.gql(
      `query($id: ID!, $points: [DateTime!]!) { node(id: $id) { ... on Relationship { scorecardSeries(points: $points) { asOf churn { stage repairWindow actions } } } } }`,
      { id: rel, points },
    ),
  ).node.scorecardSeries as { churn: { stage: string; repairWindow: boolean; actions: string[] } }[];
  const stages = series.map((c) => c.churn.stage);
  const order = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'];
  const firstAt = order.map((stage) => stages.indexOf(stage));
  // Every stage is reached, in the order of the churn process.
  for (const [i, at] of firstAt.entries()) expect(at, `${order[i]} reached (stages: ${stages.join(' ')})`).toBeGreaterThanOrEqual(0);
  for (let i = 1; i < firstAt.length; i++) expect(firstAt[i], `${order[i]} after ${order[i - 1]}`).toBeGreaterThan(firstAt[i - 1]);
  expect(stages[stages.length - 1]).toBe('LOST');
  expect(stages[0]).toBe('STABLE');
  const thawing = series[firstAt[1]].churn;
  expect(thawing.repairWindow).toBe(true);
  expect(thawing.actions.join(' ').toLowerCase()).toMatch(/repair/);
});

test('complaints: answered within 24 h helps responsiveness, unanswered for a week hurts it', async () => {
  const clock = testClock();
  await using ts = await startTestServer({ now: clock.now });
  const start = Date.now() - 60 * DAY;
  const quick = await pair(ts, 'quick', start);
  const slow = await pair(ts, 'slow', start);
  const fast = new Story(start + DAY);
  const c1 = fast.interaction('COMPLAINT', 'CLIENT', { note: 'the invoice is wrong' });
  fast.later(0.25).add('COMPLAINT_RESPONDED', { interactionSeq: c1, note: 'corrected invoice sent' });
  fast.later(1).add('COMPLAINT_RESOLVED', { interactionSeq: c1 });
  await replay(quick, quick.rel, fast.entries, clock);
  const late = new Story(start + DAY);
  const c2 = late.interaction('COMPLAINT', 'CLIENT', { note: 'the invoice is wrong' });
  late.later(8).add('COMPLAINT_RESPONDED', { interactionSeq: c2, note: 'sorry for the wait' });
  await replay(slow, slow.rel, late.entries, clock);
  const good = (await scorecard(quick.client, quick.rel)).supplier.responsiveness;
  const bad = (await scorecard(slow.client, slow.rel)).supplier.responsiveness;
  expect(good.evidence).toBeGreaterThan(0);
  expect(good.score).toBeGreaterThan(50); // above the no-knowledge prior: it helped
  expect(bad.score).toBeLessThan(50); // below it: it hurt
  expect(good.score).toBeGreaterThan(bad.score);
});
