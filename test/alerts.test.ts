import { expect, test } from 'vitest';
import { activeRelationship, ok, startTestServer, type TestFirm, type TestServer } from './support/server.ts';

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

test('both parties hear of a churn-stage change without asking, and an outsider hears nothing', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, new Date(Date.now() - 60 * 86_400_000).toISOString());
  const supplierFeed = await subscribe(ts, ts.supplier);
  const clientFeed = await subscribe(ts, ts.client);
  const outsiderFeed = await subscribe(ts, ts.outsider);
  try {
    const made = ok(
      await ts.supplier.gql(`mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
        i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'install the lobby', dueAt: new Date(Date.now() - 86_400_000).toISOString(), occurredAt: new Date(Date.now() - 20 * 86_400_000).toISOString() },
      }),
      'makePromise',
    );
    // A supplier promise broken in the last 30 days is an early decline: Stable → Thawing.
    ok(
      await ts.client.gql(`mutation($i: BreakPromiseInput!) { breakPromise(input: $i) { promise { state } errors { message } } }`, {
        i: { promiseId: made.promise.id, reason: 'installer never came' },
      }),
      'breakPromise',
    );
    for (const feed of [supplierFeed, clientFeed]) {
      const alerts = await feed.until((a) => a.some((x) => x.kind === 'STAGE_CHANGED'));
      const alert = alerts.find((x) => x.kind === 'STAGE_CHANGED');
      expect(alert).toMatchObject({ previousStage: 'STABLE', stage: 'THAWING', relationship: { id: rel } });
      expect(alert.message).toMatch(/repair/i);
    }
    expect(outsiderFeed.alerts).toEqual([]);
  } finally {
    supplierFeed.close();
    clientFeed.close();
    outsiderFeed.close();
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
