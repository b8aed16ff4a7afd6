import { expect } from 'vitest';

/** The alert subscription the tests open: kind, message, relationship id and promise description. */
export const ALERTS_SUBSCRIPTION = 'subscription { relationshipAlerts { kind message relationship { id } promise { description } } }';

/**
 * Opens an alert stream (server-sent events) at `graphqlUrl` with API key `key`. `alerts` collects
 * each alert as it arrives; `closed` resolves true when the server ends the stream, false when the
 * test aborts it with `close()`.
 */
export async function alertStream(graphqlUrl: string, key: string) {
  const controller = new AbortController();
  const res = await fetch(`${graphqlUrl}?query=${encodeURIComponent(ALERTS_SUBSCRIPTION)}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const alerts: any[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const closed = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          for (const line of buffer.slice(0, cut).split('\n'))
            if (line.startsWith('data: ')) {
              const alert = JSON.parse(line.slice(6)).data?.relationshipAlerts;
              if (alert) alerts.push(alert);
            }
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      return false; // aborted by the test
    }
  })();
  return { alerts, closed, close: () => controller.abort() };
}
