import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { type Dispute, firstScorecardDifference, type LedgerEntry, type PromiseNode, type Scorecard, type TrustledgerClient, TrustledgerError, ValidationError } from '@trustledger/sdk';
import { bar, chip, date, fmt, h, word } from '../ui.ts';

// Only what a line chart needs, so the bundle carries no other chart types.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

type Party = Scorecard['supplier'];
const DIMENSIONS = [
  ['reliability', 'Reliability'],
  ['transparency', 'Transparency'],
  ['responsiveness', 'Responsiveness'],
  ['goalAttainment', 'Goal attainment'],
] as const;

/** One relationship's shared scorecard, its promises and complaints, and forms to record what happened. */
export async function relationshipView(client: TrustledgerClient, id: string, refresh: () => void): Promise<HTMLElement> {
  const now = Date.now();
  const points = Array.from({ length: 13 }, (_, i) => new Date(now - (12 - i) * 30.44 * 86_400_000).toISOString());
  const [rel, card, series, promises, complaints, disputes] = await Promise.all([
    client.relationships.get(id),
    client.relationships.scorecard(id),
    client.relationships.scorecardSeries(id, points),
    client.promises.list(id, { state: 'OPEN', pageSize: 100 }).toArray(),
    client.interactions.list(id, { kinds: ['COMPLAINT'], pageSize: 100 }).toArray(),
    client.relationships.disputes(id),
  ]);
  // The latest hundred entries, for the back-dated ones among them.
  const recent = await client.relationships.ledger(id, { afterSeq: Math.max(0, card.head.seq - 100), pageSize: 100 }).toArray();
  const mySide = rel.viewerSide;
  const verified = h('p', { class: 'verify pending', 'data-testid': 'verified', 'data-state': 'pending', role: 'status' }, 'Verifying in your browser…');
  const verdict = (state: 'verified' | 'failed', text: string) => {
    verified.className = `verify ${state === 'verified' ? 'ok' : 'bad'}`;
    verified.dataset.state = state;
    verified.textContent = text;
  };
  // The SDK fetches the ledger, checks its hash chain and recomputes the scorecard at the same asOf
  // with its own engine (it throws on any difference); the figures on screen must then be the ones
  // it verified.
  client.relationships
    .scorecard(id, { asOf: card.asOf, verify: true })
    .then((checked) => {
      const diff = firstScorecardDifference(card, checked);
      if (diff?.path === 'head' && (checked.head.seq ?? 0) > card.head.seq) return refresh(); // recorded since: show the newer figures
      if (diff) return verdict('failed', `✗ Not verified: ${diff.path} shown as ${JSON.stringify(diff.served)}, the ledger gives ${JSON.stringify(diff.computed)}`);
      verdict('verified', `✓ Verified: hash chain of ${card.head.seq} entries checked and every figure recomputed in your browser`);
    })
    .catch((e: Error) => verdict('failed', `✗ Not verified: ${e.message}`));

  const first = series[0];
  const last = series[series.length - 1];
  const trendText = (['supplier', 'client'] as const)
    .map((side) => `${rel[side].name}: ${fmt(first?.[side].trustScore ?? null)} a year ago, ${fmt(last?.[side].trustScore ?? null)} now`)
    .join('; ');
  const canvas = h('canvas', { 'aria-label': `Trust score over the last 12 months. ${trendText}`, role: 'img' }, trendText);
  const view = h(
    'section',
    { class: 'relationship', 'data-as-of': card.asOf },
    h(
      'div',
      { class: 'title' },
      h('a', { href: '#/', class: 'link' }, '← All relationships'),
      h('h1', {}, `${rel.supplier.name} → ${rel.client.name}`),
      h('p', { class: 'muted' }, `You are the ${word(mySide).toLowerCase()} · ${word(rel.status)} · ledger head #${card.head.seq} · as of ${date(card.asOf)}`),
      verified,
    ),
    h('div', { class: 'grid two' }, party('Supplier', rel.supplier.name, card.supplier, 'supplier', minimumEvidence(card)), party('Client', rel.client.name, card.client, 'client', minimumEvidence(card))),
    h(
      'div',
      { class: 'grid two' },
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Trust score, last 12 months'),
        h('div', { class: 'chart' }, canvas),
        h('p', { class: 'muted small' }, 'Monthly points. A gap is a month without evidence, not a score. Bands: Trusted ≥ 85, Solid ≥ 70, Watch ≥ 55, At risk ≥ 40; Provisional below the policy\'s minimum evidence.'),
      ),
      churn(card),
    ),
    explanation(card),
    recordStanding(disputes, recent),
    h(
      'div',
      { class: 'grid two' },
      promiseList(client, promises, refresh),
      h('div', {}, complaintList(client, complaints, refresh), pulseForm(client, id, mySide, refresh)),
    ),
  );
  requestAnimationFrame(() => {
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: series.map((c) => new Date(c.asOf).toLocaleDateString('en-GB', { month: 'short', year: '2-digit' })),
        datasets: [
          { label: `${rel.supplier.name} (supplier)`, data: series.map((c) => c.supplier.trustScore), borderColor: '#2563eb', backgroundColor: '#2563eb', spanGaps: false, tension: 0.25 },
          { label: `${rel.client.name} (client)`, data: series.map((c) => c.client.trustScore), borderColor: '#d97706', backgroundColor: '#d97706', spanGaps: false, tension: 0.25 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { labels: { boxWidth: 12, boxHeight: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y === null ? 'no evidence' : c.parsed.y.toFixed(1)}` } } },
        scales: {
          y: { min: 0, max: 100, ticks: { stepSize: 20 }, grid: { color: (c) => ([85, 70, 55, 40].includes(c.tick.value) ? '#cbd5e1' : '#f1f5f9') } },
          x: { grid: { display: false } },
        },
      },
    });
  });
  return view;
}

/** The evidence a band needs under the policy in force (DESIGN §3). */
const minimumEvidence = (card: Scorecard): number => (card.policy as { evidence?: { minimum?: number } } | null)?.evidence?.minimum ?? 5;

/** A count of evidence as a person reads it: whole items, or one decimal for items weighted by kind. */
const items = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Why a side has no band, in words (PROVISIONAL and UNRATED), or null. */
function bandNote(p: Party, minimum: number): string | null {
  if (p.band === 'PROVISIONAL') return `Provisional: too little evidence for a band (${items(p.evidence)} of ${items(minimum)} items of evidence). The score is shown, not yet a verdict.`;
  if (p.band === 'UNRATED') return 'Unrated: no evidence, or evidence too old to speak.';
  return null;
}

/** What a promise's evidence weighed, beside its driver: "EUR 200,000 · 10,000× usual · weighs 10×". */
export function stakeText(stake: Party['reliability']['drivers'][number]['stake']): string {
  if (!stake) return '';
  const parts: string[] = [];
  if (stake.amount !== null && stake.currency !== null) parts.push(`${stake.currency} ${stake.amount.toLocaleString('en-GB')}`);
  if (stake.ratio !== null) parts.push(`${stake.ratio >= 10 ? Math.round(stake.ratio).toLocaleString('en-GB') : fmt(stake.ratio, 1)}× usual`);
  parts.push(`weighs ${fmt(stake.weight, stake.weight >= 10 ? 0 : 2).replace(/\.?0+$/, '')}×`);
  return parts.join(' · ');
}

function party(role: string, name: string, p: Party, key: 'supplier' | 'client', minimum: number) {
  const note = bandNote(p, minimum);
  return h(
    'div',
    { class: 'card party', 'data-testid': `party-${key}` },
    h('h2', {}, `${role}: ${name}`),
    h(
      'div',
      { class: 'headline' },
      h('span', { class: 'score', 'data-testid': `trust-${key}`, 'data-value': p.trustScore ?? '' }, fmt(p.trustScore)),
      chip(p.band, `band-${key}`),
      h('span', { class: 'muted' }, `confidence ${Math.round(p.confidence * 100)}%`),
    ),
    note ? h('p', { class: 'muted small', 'data-testid': `band-note-${key}` }, note) : null,
    DIMENSIONS.map(([k, label]) => bar(label, p[k].score, p[k].evidence, `${key}-${k}`, p[k].status)),
    p.medianFirstResponseHours === null ? null : h('p', { class: 'muted' }, `Median first response to complaints: ${fmt(p.medianFirstResponseHours)} h`),
  );
}

function churn(card: Scorecard) {
  const c = card.churn;
  return h(
    'div',
    { class: `card churn stage-${c.stage.toLowerCase()}` },
    h('h2', {}, 'Churn stage ', chip(c.stage, 'stage')),
    h(
      'ol',
      { class: 'stages', 'aria-label': 'The five churn stages' },
      STAGES.map((s) =>
        h('li', { class: `${s === c.stage ? 'current' : ''} ${s === 'THAWING' ? 'window' : ''}`, 'aria-current': s === c.stage ? 'step' : undefined }, word(s)),
      ),
    ),
    c.repairWindow
      ? h('p', { class: 'repair', 'data-testid': 'repair-window' }, 'Repair window: this is almost the only stage where the relationship can still be repaired. Act now.')
      : h('p', { class: 'muted small stage-note' }, 'Thawing, underlined, is the repair window.'),
    c.signals.length
      ? h('div', {}, h('h3', {}, 'Signals that fired'), h('ul', { 'data-testid': 'signals' }, c.signals.map((s) => h('li', {}, signalText(s)))))
      : h('p', { class: 'muted' }, 'No warning signals.'),
    h('h3', {}, 'Recommended next actions'),
    h('ul', { 'data-testid': 'actions' }, c.actions.map((a) => h('li', {}, a))),
  );
}

const STAGES = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'] as const;

/** How a count reads: whole numbers as they are, others to one decimal. */
const n1 = (v: number) => (Number.isInteger(v) ? String(v) : fmt(v, 1));
const plural = (v: number, one: string, many: string) => `${n1(v)} ${Math.round(v * 10) === 10 ? one : many}`;

/**
 * A fired churn signal in words a customer-success lead reads: what was observed in the window
 * against what the client usually does ("2 positive contacts in 30 days; usually 6"), and how
 * rare that is when the count was tested.
 */
export function signalText(s: Scorecard['churn']['signals'][number]): string {
  const days = `${s.windowDays} days`;
  const odds =
    s.probability === null || s.probability === undefined
      ? ''
      : s.probability < 0.001
        ? ' (less than 1 chance in 1,000 by chance alone)'
        : ` (about 1 chance in ${fmt(Math.round(1 / s.probability), 0)} by chance alone)`;
  switch (s.name) {
    case 'relationshipEnded':
      return 'The relationship has ended';
    case 'brokenPromises':
      return `${plural(s.count, 'broken promise', 'broken promises')} by the supplier in the last ${days}`;
    case 'satisfaction':
      return `Latest satisfaction pulse ${n1(s.count)} of 5; usually ${fmt(s.expected, 1)}`;
    case 'alternativeSupplier':
      return `An alternative supplier named in the last ${days}`;
    case 'orderCadence':
      return `No order for ${plural(s.count, 'day', 'days')}; usually one every ${plural(s.expected, 'day', 'days')}${odds}`;
    case 'activity':
      return `Order volume ${n1(Math.round(s.count))} in ${days}; usually ${n1(Math.round(s.expected))}${odds}`;
    case 'positiveContacts':
      return `${plural(s.count, 'positive contact', 'positive contacts')} from the client in ${days}; usually ${n1(Math.round(s.expected * 10) / 10)}${odds}`;
    case 'negativeContacts':
      return `${plural(s.count, 'negative contact or unhandled complaint', 'negative contacts or unhandled and repeated complaints')} in ${days}; usually ${n1(Math.round(s.expected * 10) / 10)}${odds}`;
    default:
      return `${word(s.name)}: ${n1(s.count)} in ${days}; usually ${n1(Math.round(s.expected * 10) / 10)}${odds}`;
  }
}

function explanation(card: Scorecard) {
  const rows = (['supplier', 'client'] as const).flatMap((side) =>
    DIMENSIONS.flatMap(([k, label]) => card[side][k].drivers.slice(0, 3).map((d) => ({ side, label, ...d }))),
  );
  return h(
    'details',
    { class: 'card', open: true },
    h('summary', {}, h('h2', {}, 'What moved the figures')),
    h('p', { class: 'muted small' }, 'For each figure, the ledger entries that moved it most (effect: decayed evidence, + for it, − against).'),
    rows.length === 0
      ? h('p', { class: 'muted' }, 'No evidence yet.')
      : h(
          'table',
          { 'data-testid': 'drivers' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Side'), h('th', {}, 'Figure'), h('th', {}, 'Entry'), h('th', {}, 'What happened'), h('th', {}, 'Stake'), h('th', { class: 'num' }, 'Effect'))),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h('tr', {}, h('td', {}, word(r.side.toUpperCase())), h('td', {}, r.label), h('td', {}, `#${r.entry.seq}`), h('td', {}, r.reason, r.standing ? [' ', chip(r.standing, 'driver-standing')] : []), h('td', { class: 'stake', 'data-testid': 'driver-stake' }, stakeText(r.stake)), h('td', { class: `num ${r.effect < 0 ? 'warn' : 'good'}` }, `${r.effect > 0 ? '+' : ''}${fmt(r.effect, 2)}`)),
            ),
          ),
        ),
  );
}

const ENTRY_WORDS: Record<string, string> = {
  PROMISE_MADE: 'promise made',
  PROMISE_RESCHEDULED: 'reschedule',
  PROMISE_KEPT: 'promise kept',
  PROMISE_BROKEN: 'promise broken',
  INTERACTION_RECORDED: 'interaction',
  COMPLAINT_RESPONDED: 'complaint answered',
  COMPLAINT_RESOLVED: 'complaint resolved',
  MEASUREMENT_RECORDED: 'measurement',
};
const entryWord = (type: string) => ENTRY_WORDS[type] ?? word(type).toLowerCase();

/**
 * Disputes with where each stands, and back-dated entries (DESIGN §2a): a dispute is a state, not
 * an eraser (open: the contested evidence weighs half; lapsed: it counts again); a back-dated
 * entry buys no notice or speed unless the other side confirms it. Claimed evidence is marked
 * among the drivers above.
 */
function recordStanding(disputes: readonly Dispute[], recent: readonly LedgerEntry[]) {
  const backdated = recent.filter((e) => e.backdated).slice(-10).reverse();
  const disputeText = (d: Dispute): string => {
    if (d.state === 'OPEN') return `weighs half until it lapses on ${date(d.lapsesAt)}`;
    if (d.state === 'LAPSED') return `lapsed on ${date(d.lapsesAt)}: counts again, contested`;
    if (d.state === 'RESOLVED') return d.resolution === 'STRUCK' ? 'resolved: struck' : 'resolved: stands';
    return 'withdrawn';
  };
  return h(
    'details',
    { class: 'card', open: disputes.length > 0 || backdated.length > 0 },
    h('summary', {}, h('h2', {}, 'Disputes and back-dated entries')),
    disputes.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'no-disputes' }, 'No disputes.')
      : h(
          'table',
          { 'data-testid': 'disputes' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Entry'), h('th', {}, 'Raised by'), h('th', {}, 'Raised'), h('th', {}, 'State'), h('th', {}, 'What it means'))),
          h(
            'tbody',
            {},
            disputes.map((d) =>
              h(
                'tr',
                { 'data-testid': 'dispute' },
                h('td', {}, `#${d.entry.seq} ${entryWord(d.entry.type)}`),
                h('td', {}, d.raisedBy ? word(d.raisedBy) : ''),
                h('td', {}, date(d.raisedAt)),
                h('td', {}, chip(d.state, 'dispute-state')),
                h('td', {}, disputeText(d), d.reason ? h('span', { class: 'muted' }, ` — “${d.reason}”`) : ''),
              ),
            ),
          ),
        ),
    backdated.length === 0
      ? h('p', { class: 'muted small' }, 'No back-dated entries among the latest hundred.')
      : h(
          'table',
          { 'data-testid': 'backdated' },
          h('caption', { class: 'muted small' }, 'Back-dated: recorded more than an hour after the time they claim; they buy no notice or speed unless the other side confirms them.'),
          h('thead', {}, h('tr', {}, h('th', {}, 'Entry'), h('th', {}, 'Happened'), h('th', {}, 'Recorded'), h('th', {}, 'Status'))),
          h(
            'tbody',
            {},
            backdated.map((e) =>
              h('tr', { 'data-testid': 'backdated-entry' }, h('td', {}, `#${e.seq} ${entryWord(e.type)}`), h('td', {}, date(e.occurredAt)), h('td', {}, date(e.recordedAt)), h('td', {}, chip(e.status))),
            ),
          ),
        ),
  );
}

/**
 * Runs a write; typed errors are shown beside the field their path names (the field marked
 * `aria-invalid` and described by the message), else at the form.
 */
async function submit(form: HTMLFormElement, write: () => Promise<unknown>, done: () => void) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
  const button = form.querySelector('button[type=submit]') as HTMLButtonElement | null;
  if (button) button.disabled = true;
  try {
    await write();
    done();
  } catch (e) {
    const issues = e instanceof ValidationError ? e.issues : [{ path: e instanceof TrustledgerError ? e.path : [], message: (e as Error).message }];
    for (const issue of issues) {
      const field = String(issue.path[issue.path.length - 1] ?? '');
      const slot = (form.querySelector(`[data-error-for="${field}"]`) ?? form.querySelector('[data-error-for="form"]')) as HTMLElement;
      slot.textContent = issue.message;
      const input = form.querySelector(`[name="${field}"]`);
      if (input && slot.dataset.errorFor === field) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', slot.id);
      }
    }
  } finally {
    if (button) button.disabled = false;
  }
}

let errorSlots = 0;
const errorSlot = (field: string) => h('span', { class: 'field-error', id: `field-error-${++errorSlots}`, 'data-error-for': field, role: 'alert' });

function promiseList(client: TrustledgerClient, promises: PromiseNode[], refresh: () => void) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, 'Open promises'),
    promises.length === 0
      ? h('p', { class: 'muted' }, 'No open promises.')
      : h(
          'ul',
          { class: 'promises', 'data-testid': 'open-promises' },
          promises.map((p) => {
            const form = h(
              'form',
              { class: 'inline' },
              h('label', {}, 'Reason (to break) ', h('input', { name: 'reason', placeholder: 'why it will not be kept' })),
              errorSlot('reason'),
              h('button', { type: 'submit', name: 'outcome', value: 'keep' }, 'Kept'),
              h('button', { type: 'submit', name: 'outcome', value: 'break', class: 'danger' }, 'Broken'),
              errorSlot('form'),
            );
            form.addEventListener('submit', (ev) => {
              ev.preventDefault();
              const outcome = ((ev as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
              const reason = (form.elements.namedItem('reason') as HTMLInputElement).value;
              void submit(form, () => (outcome === 'break' ? client.promises.break({ promiseId: p.id, reason }) : client.promises.keep({ promiseId: p.id })), refresh);
            });
            return h(
              'li',
              { class: p.overdue ? 'overdue' : '' },
              h('div', {}, h('strong', {}, p.description), ' ', h('span', { class: 'muted' }, `${word(p.promisor)} · ${word(p.kind)} · due ${date(p.dueAt)}`), p.overdue ? h('span', { class: 'chip chip-critical' }, 'Overdue') : null),
              form,
            );
          }),
        ),
  );
}

function complaintList(client: TrustledgerClient, complaints: { id: string; note: string | null; occurredAt: string; firstResponseAt: string | null; resolvedAt: string | null; initiatedBy: string }[], refresh: () => void) {
  const waiting = complaints.filter((c) => !c.firstResponseAt);
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, 'Complaints awaiting a first response'),
    waiting.length === 0
      ? h('p', { class: 'muted' }, 'Every complaint has been answered.')
      : h(
          'ul',
          { class: 'complaints', 'data-testid': 'complaints' },
          waiting.map((c) => {
            const form = h(
              'form',
              { class: 'inline', 'data-testid': 'respond-form' },
              h('label', {}, 'Response ', h('input', { name: 'note', placeholder: 'what you did about it' })),
              errorSlot('note'),
              h('button', { type: 'submit' }, 'Record response'),
              errorSlot('form'),
            );
            form.addEventListener('submit', (ev) => {
              ev.preventDefault();
              const note = (form.elements.namedItem('note') as HTMLInputElement).value.trim();
              void submit(form, () => client.interactions.respond({ interactionId: c.id, note: note || undefined }), refresh);
            });
            return h('li', {}, h('div', {}, h('strong', {}, c.note ?? 'Complaint'), ' ', h('span', { class: 'muted' }, `raised by the ${word(c.initiatedBy).toLowerCase()} on ${date(c.occurredAt)}`)), form);
          }),
        ),
  );
}

function pulseForm(client: TrustledgerClient, relationshipId: string, side: 'SUPPLIER' | 'CLIENT', refresh: () => void) {
  const form = h(
    'form',
    { class: 'card stacked', 'data-testid': 'pulse-form' },
    h('h2', {}, 'Satisfaction pulse'),
    h('p', { class: 'muted' }, 'Ask at the end of an interaction: how satisfied is the client, 1 to 5?'),
    h('label', {}, 'Score (1–5) ', h('input', { name: 'score', type: 'number', step: 1, required: true, inputmode: 'numeric' })),
    errorSlot('score'),
    h('label', {}, 'Note ', h('input', { name: 'note' })),
    errorSlot('note'),
    h('button', { type: 'submit' }, 'Record pulse'),
    errorSlot('form'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const score = Number((form.elements.namedItem('score') as HTMLInputElement).value);
    const note = (form.elements.namedItem('note') as HTMLInputElement).value.trim();
    void submit(form, () => client.interactions.record({ relationshipId, kind: 'SATISFACTION', initiatedBy: side, score, note: note || undefined }), refresh);
  });
  return form;
}
