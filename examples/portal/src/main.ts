import { createClient, type TrustledgerClient } from '@trustledger/sdk';
import { listenForAlerts, showAlert } from './alerts.ts';
import { h, labelCells } from './ui.ts';
import { overview } from './views/overview.ts';
import { relationshipView } from './views/relationship.ts';

/** The partner portal: sign in with an API key, then the viewer's relationships and their shared scorecards. */
const app = document.getElementById('app') as HTMLElement;
const alerts = document.getElementById('alerts') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;
const url = new URL('/graphql', location.origin).href;

let client: TrustledgerClient | null = null;
let stopAlerts: (() => void) | null = null;

function signInForm(message?: string, focus = false) {
  who.textContent = '';
  signOut.hidden = true;
  const form = h(
    'form',
    { class: 'card stacked signin', 'data-testid': 'sign-in' },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Use an API key of your firm (the server prints demo keys on first start).'),
    h(
      'label',
      {},
      'API key ',
      // A refused key is tied to the field: announced with it, and marked invalid.
      h('input', { name: 'key', type: 'password', autocomplete: 'off', required: true, 'aria-invalid': message ? 'true' : undefined, 'aria-describedby': message ? 'sign-in-error' : undefined }),
    ),
    h('span', { class: 'field-error', id: 'sign-in-error', role: 'alert' }, message ?? ''),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = (form.elements.namedItem('key') as HTMLInputElement).value.trim();
    sessionStorage.setItem('trustledger.key', key);
    void start(key);
  });
  app.replaceChildren(form);
  if (message) (form.elements.namedItem('key') as HTMLInputElement).focus();
  else if (focus) focusHeading(form);
}

/** Moves keyboard and screen-reader focus to a new view's main heading (WCAG 2.4.3), not left on <body>. */
function focusHeading(view: HTMLElement) {
  const heading = view.querySelector('h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

async function start(key: string) {
  try {
    client = createClient({ url, apiKey: key });
    const viewer = await client.viewer();
    if (!viewer) throw new Error('This API key is unknown or revoked.');
    who.textContent = `${viewer.firm.name} · ${viewer.role.toLowerCase()}`;
    signOut.hidden = false;
  } catch (e) {
    sessionStorage.removeItem('trustledger.key');
    client = null;
    return signInForm((e as Error).message);
  }
  stopAlerts?.();
  stopAlerts = listenForAlerts(url, key, (alert) => {
    showAlert(alerts, alert);
    // The scorecard on screen may have moved: show it as it is now.
    if (location.hash.includes(encodeURIComponent(alert.relationship?.id ?? '\u0000')) || location.hash === '#/' || location.hash === '') void route();
  });
  await route(true);
}

/** Shows the view the URL names; `focus` when the user went there (not when data refreshed under them). */
async function route(focus = false) {
  if (!client) return signInForm(undefined, focus);
  const match = /^#\/relationship\/(.+)$/.exec(location.hash);
  app.setAttribute('aria-busy', 'true');
  try {
    const view = match ? await relationshipView(client, decodeURIComponent(match[1]), () => void route()) : await overview(client);
    labelCells(view);
    app.replaceChildren(view);
    if (focus) focusHeading(view);
  } catch (e) {
    const failed = h('div', { class: 'card' }, h('h1', {}, 'Could not load this page'), h('p', {}, (e as Error).message), h('a', { href: '#/' }, 'Back'));
    app.replaceChildren(failed);
    if (focus) focusHeading(failed);
  } finally {
    app.removeAttribute('aria-busy');
  }
}

signOut.addEventListener('click', () => {
  sessionStorage.removeItem('trustledger.key');
  stopAlerts?.();
  client = null;
  location.hash = '#/';
  signInForm(undefined, true);
});
window.addEventListener('hashchange', () => void route(true));

const saved = sessionStorage.getItem('trustledger.key');
if (saved) void start(saved);
else signInForm();
