import type { ReviewItem, TrustledgerClient } from '@trustledger/sdk';
import { chip, fmt, h } from '../ui.ts';

/** The viewer's relationships at a glance: its suppliers and its clients, lowest trust first. */
export async function overview(client: TrustledgerClient): Promise<HTMLElement> {
  // Both tables at one instant, so they can be compared (and reproduced through the API).
  const asOf = new Date().toISOString();
  const [suppliers, clients] = await Promise.all([
    client.review({ as: 'CLIENT', asOf, pageSize: 100 }).toArray(),
    client.review({ as: 'SUPPLIER', asOf, pageSize: 100 }).toArray(),
  ]);
  return h(
    'section',
    { class: 'overview', 'data-as-of': asOf },
    h('h1', {}, 'My relationships'),
    table('My suppliers', 'You are the client in these relationships: how far you can trust each supplier.', 'Supplier', suppliers, 'suppliers'),
    table('My clients', 'You are the supplier in these relationships: how far you can trust each client, and who is drifting away.', 'Client', clients, 'clients'),
  );
}

function table(title: string, note: string, who: string, items: ReviewItem[], testid: string) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, title),
    h('p', { class: 'muted small' }, note),
    items.length === 0
      ? h('p', { class: 'muted' }, 'None yet.')
      : h(
          'table',
          { 'data-testid': testid },
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, who), h('th', { scope: 'col', class: 'num' }, 'Trust'), h('th', { scope: 'col' }, 'Band'), h('th', { scope: 'col', class: 'num' }, 'Change (90 d)'), h('th', { scope: 'col' }, 'Churn stage'), h('th', { scope: 'col', class: 'num' }, 'Open'), h('th', { scope: 'col', class: 'num' }, 'Overdue')),
          ),
          h(
            'tbody',
            {},
            items.map((i) =>
              h(
                'tr',
                { 'data-relationship': i.relationship.id },
                h('td', {}, h('a', { href: `#/relationship/${encodeURIComponent(i.relationship.id)}`, 'data-testid': 'open-relationship' }, i.counterparty.name)),
                h('td', { class: 'num', 'data-testid': 'review-trust', 'data-value': i.trustScore ?? '' }, fmt(i.trustScore)),
                h('td', {}, chip(i.band, 'review-band')),
                h('td', { class: `num ${i.change !== null && i.change < 0 ? 'warn' : ''}` }, i.change === null ? '—' : `${i.change > 0 ? '+' : ''}${fmt(i.change)}`),
                h('td', {}, chip(i.stage, 'review-stage')),
                h('td', { class: 'num' }, i.openPromises),
                h('td', { class: `num ${i.overduePromises ? 'warn' : ''}` }, i.overduePromises),
              ),
            ),
          ),
        ),
  );
}
