import { expect, test } from 'vitest';
import { activeRelationship, ok, startTestServer, type TestFirm, type TestServer, testClock } from './support/server.ts';

const SUBSCRIPTION = `subscription { relationshipAlerts { kind message stage previousStage relationship { id } promise { description overdue } } }`;

/** Subscribes over server-sent events as `firm`; collects alerts until closed. */
async function subscribe(ts: TestServer, firm: TestFirm) {
  const controller = new AbortController();
  const res = await fetch(`${ts.url}?query=${encodeURIComponent(SUBSCRIPTION)}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${firm.keys.reader}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const alerts: any[] = [];
  const waiters: (() => void)[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          for (const line of event.split('\n'))
            if (line.startsWith('data: ')) {
              const payload = JSON.parse(line.slice(6));
              if (payload.data?.relationshipAlerts) alerts.push(payload.data.relationshipAlerts);
              for (const w of waiters.splice(0)) w();
            }
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  const until = async (pred: (a: any[]) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!pred(alerts)) {
      if (Date.now() > deadline) throw new Error(`no such alert in ${JSON.stringify(alerts)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return alerts;
  };
  return { alerts, until, close: () => controller.abort() };
}

const DAY = 86_400_000;
/** Days before the server's clock (the real time unless a test moves it). */
let clockNow = () => Date.now();
const daysAgo = (d: number) => new Date(clockNow() - d * DAY).toISOString();
const STAGES = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { churn { stage announcedStage } } } } }`;

/** A promise the supplier made `made` days ago, due `due` days ago, that the client says was broken `broken` days ago (recorded now). */
async function brokenPromise(ts: TestServer, rel: string, made: number, due: number, broken: number) {
  const promise = ok(
    await ts.supplier.gql(`mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
      i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'install the lobby', dueAt: daysAgo(due), occurredAt: daysAgo(made) },
    }),
    'makePromise',
  ).promise;
  ok(
    await ts.client.gql(`mutation($i: BreakPromiseInput!) { breakPromise(input: $i) { promise { state } errors { message } } }`, {
      i: { promiseId: promise.id, reason: 'installer never came', occurredAt: daysAgo(broken) },
    }),
    'breakPromise',
  );
}

test('both parties hear of a churn-stage change once it has held for the dwell, and an outsider hears nothing', async () => {
  await using ts = await startTestServer();
  const fresh = await activeRelationship(ts, daysAgo(60));
  const held = await activeRelationship(ts, daysAgo(60));
  const supplierFeed = await subscribe(ts, ts.supplier);
  const clientFeed = await subscribe(ts, ts.client);
  const outsiderFeed = await subscribe(ts, ts.outsider);
  try {
    // A supplier promise broken today: the stage reads THAWING at once, but one day is a flicker
    // until it has held for the policy's dwell (7 days), so nothing is announced yet.
    await brokenPromise(ts, fresh, 20, 2, 0);
    expect(ok(await ts.supplier.gql(STAGES, { id: fresh })).node.scorecard.churn).toEqual({ stage: 'THAWING', announcedStage: 'STABLE' });
    // A promise broken ten days ago (recorded late): THAWING has held past the dwell, so it is announced.
    await brokenPromise(ts, held, 30, 12, 10);
    expect(ok(await ts.supplier.gql(STAGES, { id: held })).node.scorecard.churn).toEqual({ stage: 'THAWING', announcedStage: 'THAWING' });
    for (const feed of [supplierFeed, clientFeed]) {
      const alerts = await feed.until((a) => a.some((x) => x.kind === 'STAGE_CHANGED'));
      const changes = alerts.filter((x) => x.kind === 'STAGE_CHANGED');
      // Alerts arrive in order: the held change came after the fresh one, which was never announced.
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ previousStage: 'STABLE', stage: 'THAWING', relationship: { id: held } });
      expect(changes[0].message).toMatch(/repair/i);
    }
    expect(outsiderFeed.alerts).toEqual([]);
  } finally {
    supplierFeed.close();
    clientFeed.close();
    outsiderFeed.close();
  }
});

test('a stage announced by time passing alone (dwell held, evidence aged out) is told once to both parties, with no write', async () => {
  const clock = testClock();
  const t0 = Date.parse(clock.now());
  clockNow = () => Date.parse(clock.now());
  await using ts = await startTestServer({ now: clock.now, stageCheckMs: 100 });
  try {
    const rel = await activeRelationship(ts, daysAgo(60));
    // Broken today: THAWING at once, not announced until it has held for the dwell.
    await brokenPromise(ts, rel, 20, 2, 0);
    expect(ok(await ts.supplier.gql(STAGES, { id: rel })).node.scorecard.churn).toEqual({ stage: 'THAWING', announcedStage: 'STABLE' });
    const supplierFeed = await subscribe(ts, ts.supplier);
    const clientFeed = await subscribe(ts, ts.client);
    const outsiderFeed = await subscribe(ts, ts.outsider);
    try {
      // Eight days later, nothing written since: THAWING has held past the dwell.
      clock.at(t0 + 8 * DAY);
      expect(ok(await ts.supplier.gql(STAGES, { id: rel })).node.scorecard.churn).toEqual({ stage: 'THAWING', announcedStage: 'THAWING' });
      for (const feed of [supplierFeed, clientFeed]) {
        const alerts = await feed.until((a) => a.some((x) => x.kind === 'STAGE_CHANGED'));
        expect(alerts.filter((x) => x.kind === 'STAGE_CHANGED')[0]).toMatchObject({ previousStage: 'STABLE', stage: 'THAWING', relationship: { id: rel } });
      }
      // Seven weeks on, the broken promise has aged out (30 days) and STABLE has held for the dwell.
      clock.at(t0 + 49 * DAY);
      for (const feed of [supplierFeed, clientFeed]) {
        const alerts = await feed.until((a) => a.filter((x) => x.kind === 'STAGE_CHANGED').length >= 2);
        expect(alerts.filter((x) => x.kind === 'STAGE_CHANGED').map((x) => [x.previousStage, x.stage])).toEqual([
          ['STABLE', 'THAWING'],
          ['THAWING', 'STABLE'],
        ]);
      }
      // A change a write announces (a promise broken ten days ago, recorded now) is not told again by the watcher.
      const held = await activeRelationship(ts, daysAgo(60));
      await brokenPromise(ts, held, 30, 12, 10);
      await supplierFeed.until((a) => a.some((x) => x.kind === 'STAGE_CHANGED' && x.relationship.id === held));
      await new Promise((r) => setTimeout(r, 1000));
      const told = supplierFeed.alerts.filter((x) => x.kind === 'STAGE_CHANGED');
      expect(told.filter((x) => x.relationship.id === held).map((x) => x.stage)).toEqual(['THAWING']);
      expect(told.filter((x) => x.relationship.id === rel)).toHaveLength(2);
      expect(outsiderFeed.alerts).toEqual([]);
    } finally {
      supplierFeed.close();
      clientFeed.close();
      outsiderFeed.close();
    }
  } finally {
    clockNow = () => Date.now();
  }
});

test('a stage change a write made while no stream was open is not told later to a stream opened after it', async () => {
  await using ts = await startTestServer({ stageCheckMs: 100 });
  const rel = await activeRelationship(ts, daysAgo(60));
  // Broken ten days ago, recorded now, nobody listening: THAWING is announced at once.
  await brokenPromise(ts, rel, 30, 12, 10);
  expect(ok(await ts.supplier.gql(STAGES, { id: rel })).node.scorecard.churn).toEqual({ stage: 'THAWING', announcedStage: 'THAWING' });
  const supplierFeed = await subscribe(ts, ts.supplier);
  try {
    // Several stage checks later the stream has heard nothing: the change happened before it opened.
    await new Promise((r) => setTimeout(r, 1000));
    expect(supplierFeed.alerts.filter((x) => x.kind === 'STAGE_CHANGED')).toEqual([]);
    // A change made while it is open is told (the relationship's stage moves back to STABLE only with time, so another relationship).
    const other = await activeRelationship(ts, daysAgo(60));
    await brokenPromise(ts, other, 30, 12, 10);
    const alerts = await supplierFeed.until((a) => a.some((x) => x.kind === 'STAGE_CHANGED'));
    expect(alerts.filter((x) => x.kind === 'STAGE_CHANGED').map((x) => [x.relationship.id, x.previousStage, x.stage])).toEqual([[other, 'STABLE', 'THAWING']]);
  } finally {
    supplierFeed.close();
  }
});

test('a promise that becomes overdue is announced to both parties', async () => {
  await using ts = await startTestServer({ overdueCheckMs: 200 });
  const rel = await activeRelationship(ts);
  const feed = await subscribe(ts, ts.client);
  try {
    ok(
      await ts.supplier.gql(`mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
        i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'ship the chairs', dueAt: new Date(Date.now() + 1500).toISOString() },
      }),
      'makePromise',
    );
    const alerts = await feed.until((a) => a.some((x) => x.kind === 'PROMISE_OVERDUE'));
    const alert = alerts.find((x) => x.kind === 'PROMISE_OVERDUE');
    expect(alert.promise).toEqual({ description: 'ship the chairs', overdue: true });
    expect(alert.message).toContain('ship the chairs');
  } finally {
    feed.close();
  }
});

test('a subscription without a valid key is refused', async () => {
  await using ts = await startTestServer();
  const res = await fetch(`${ts.url}?query=${encodeURIComponent(SUBSCRIPTION)}`, { headers: { accept: 'text/event-stream' } });
  const text = await res.text();
  expect(text).toContain('UNAUTHENTICATED');
  expect(text).not.toContain('relationshipAlerts":{');
});
