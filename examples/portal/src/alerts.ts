import { h } from './ui.ts';

export interface Alert {
  kind: 'STAGE_CHANGED' | 'PROMISE_OVERDUE';
  message: string;
  stage: string | null;
  relationship: { id: string; counterparty: { name: string } } | null;
}

const QUERY = `subscription { relationshipAlerts { kind message stage relationship { id counterparty { name } } } }`;

/**
 * Listens to the relationshipAlerts subscription over server-sent events. EventSource cannot
 * send an Authorization header, so the stream is read with fetch. Reconnects after a drop.
 */
export function listenForAlerts(url: string, apiKey: string, onAlert: (a: Alert) => void): () => void {
  const controller = new AbortController();
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch(`${url}?query=${encodeURIComponent(QUERY)}`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) throw new Error(`alerts: HTTP ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            for (const line of buffer.slice(0, cut).split('\n'))
              if (line.startsWith('data: ')) {
                const alert = JSON.parse(line.slice(6))?.data?.relationshipAlerts as Alert | undefined;
                if (alert) onAlert(alert);
              }
            buffer = buffer.slice(cut + 2);
            cut = buffer.indexOf('\n\n');
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 3000));
    }
  };
  void run();
  return () => controller.abort();
}

/** Shows an alert as a toast that stays until dismissed. */
export function showAlert(container: HTMLElement, alert: Alert): void {
  const toast = h(
    'div',
    { class: `toast toast-${alert.kind.toLowerCase()}`, role: 'status', 'data-testid': 'alert' },
    h('strong', {}, alert.relationship?.counterparty.name ?? 'A relationship'),
    h('p', {}, alert.message),
    h(
      'div',
      { class: 'toast-actions' },
      alert.relationship ? h('a', { href: `#/relationship/${encodeURIComponent(alert.relationship.id)}` }, 'Open') : null,
      h('button', { class: 'link', onclick: () => toast.remove(), 'aria-label': `Dismiss the alert about ${alert.relationship?.counterparty.name ?? 'a relationship'}` }, 'Dismiss'),
    ),
  );
  container.prepend(toast);
  // The newest five stay on screen.
  while (container.children.length > 5) container.lastElementChild?.remove();
}
