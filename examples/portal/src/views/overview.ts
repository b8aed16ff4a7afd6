import type { ReviewItem, TrustledgerClient } from '@trustledger/sdk';
import { chip, fmt, h } from '../ui.ts';

/** The viewer's relationships at a glance: its suppliers and its clients, lowest trust first. */
export async function overview(client: TrustledgerClient): Promise<HTMLElement> {
  const [suppliers, clients] = await Promise.all([
    client.review({ as: 'CLIENT', pageSize: 100 }).toArray(),
    client.review({ as: 'SUPPLIER', pageSize: 100 }).toArray(),
  ]);
  return h(
    'section',
    { class: 'overview' },
    table('My suppliers', 'Supplier', suppliers, 'suppliers'),
    table('My clients', 'Client', clients, 'clients'),
  );
}

function table(title: string, who: string, items: ReviewItem[], testid: string) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, title),
    items.length === 0
      ? h('p', { class: 'muted' }, 'None yet.')
      : h(
          'table',
          { 'data-testid': testid },
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, who), h('th', { scope: 'col', class: 'num' }, 'Trust'), h('th', { scope: 'col' }, 'Band'), h('th', { scope: 'col' }, 'Churn stage'), h('th', { scope: 'col', class: 'num' }, 'Open'), h('th', { scope: 'col', class: 'num' }, 'Overdue')),
          ),
          h(
            'tbody',
            {},
            items.map((i) =>
              h(
                'tr',
                { 'data-relationship': i.relationship.id },
                h('td', {}, h('a', { href: `#/relationship/${encodeURIComponent(i.relationship.id)}`, 'data-testid': 'open-relationship' }, i.counterparty.name)),
                h('td', { class: 'num', 'data-testid': 'review-trust' }, fmt(i.trustScore)),
                h('td', {}, chip(i.band)),
                h('td', {}, chip(i.stage)),
                h('td', { class: 'num' }, i.openPromises),
                h('td', { class: `num ${i.overduePromises ? 'warn' : ''}` }, i.overduePromises),
              ),
            ),
          ),
        ),
  );
}
