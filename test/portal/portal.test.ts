import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, seedDemo, startServer } from '@trustledger/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type GqlResult, ok } from '../support/server.ts';
import { type TestDatabase, testDatabase } from '../support/store.ts';

/**
 * The partner portal in a real browser (Debian's chromium through playwright-core) against a real
 * server over the demo data: what the page shows must be what the API says.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const artifacts = join(root, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The newest modification time under a path (files only). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).filter((n) => n !== 'node_modules' && n !== 'dist').map((n) => newest(join(path, n))));
}

/** Builds the portal when dist is missing or older than its sources (the page, the SDK, the contract). */
function ensurePortalBuilt(): void {
  const built = join(root, 'examples/portal/dist/index.html');
  const sources = ['examples/portal', 'packages/sdk/src', 'packages/schema/src'].map((p) => newest(join(root, p)));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return;
  try {
    execFileSync('pnpm', ['--filter', '@trustledger/portal', 'build'], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`The portal did not build:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
}

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let demo: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  ensurePortalBuilt();
  database = testDatabase('portal');
  server = await startServer({ port: 0, host: '127.0.0.1', ...database.options, overdueCheckMs: 300, rateLimitPerMinute: 0 });
  demo = await seedDemo(server.store);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  database?.[Symbol.dispose]();
});

const firm = (name: string) => demo.firms.find((f) => f.name === name) as (typeof demo.firms)[number];
const relationship = (supplier: string, client: string) =>
  demo.relationships.find((r) => r.supplier === supplier && r.client === client) as (typeof demo.relationships)[number];
async function gqlAs(key: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as GqlResult), status: res.status };
}

const SCORECARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { head { seq } scorecard(asOf: $asOf) {
  supplier { trustScore band reliability { score } transparency { score } responsiveness { score } goalAttainment { score } }
  client { trustScore band reliability { score } transparency { score } responsiveness { score } goalAttainment { score } }
  churn { stage repairWindow } } } } }`;
const DIMENSIONS = ['reliability', 'transparency', 'responsiveness', 'goalAttainment'] as const;

const oak = () => firm('Oak & Sons Furniture');
const harbor = () => firm('Harbor Hotels');
const rel = () => relationship('Oak & Sons Furniture', 'Harbor Hotels');
/** The element with keyboard focus: its tag and text. */
const focused = () => page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent?.trim() }));
const shown = (testid: string) => page.getAttribute(`main [data-testid="${testid}"]`, 'data-value');
/** The API's scorecard at the instant the page computed its own, so every figure must be equal. */
const apiScorecard = async () =>
  ok(await gqlAs(oak().keys.writer, SCORECARD, { id: rel().id, asOf: await page.getAttribute('main section.relationship', 'data-as-of') })).node.scorecard;
/** A number on the page equals the API's (same function, same instant); no evidence is an empty value. */
const same = (onPage: string | null, api: number | null) => (api === null ? onPage === '' : onPage !== '' && Math.abs(Number(onPage) - api) < 1e-9);

test('signs in with an API key (an unknown key is refused) and lists suppliers and clients as the API reviews them', async () => {
  await page.goto(`${server.url}/`); // redirects to /portal/
  expect(page.url()).toBe(`${server.url}/portal/`);
  await page.getByLabel('API key').fill('tl_not_a_key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.textContent('[data-testid=sign-in]')).toMatch(/unknown or revoked/i);
  // The refusal is tied to the field, which has the focus again.
  const keyField = page.getByLabel('API key');
  expect(await keyField.getAttribute('aria-invalid')).toBe('true');
  expect(await page.textContent(`#${await keyField.getAttribute('aria-describedby')}`)).toMatch(/unknown or revoked/i);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('key');

  await page.getByLabel('API key').fill(oak().keys.writer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('[data-testid=clients]');
  expect(await page.textContent('#who')).toContain('Oak & Sons Furniture');
  expect(await focused()).toEqual({ tag: 'H1', text: 'My relationships' });
  expect(await page.evaluate(() => sessionStorage.getItem('trustledger.key'))).toBe(oak().keys.writer);
  expect(await page.getByRole('heading', { name: 'My suppliers' }).count()).toBe(1);

  // Each of Oak's clients, with the trust score, band and churn stage the API's review gives.
  const review = ok(
    await gqlAs(oak().keys.writer, `query($asOf: DateTime) { viewer { review(as: SUPPLIER, first: 100, asOf: $asOf) { edges { node { relationship { id } counterparty { name } trustScore band stage } } } } }`, {
      asOf: await page.getAttribute('main section.overview', 'data-as-of'),
    }),
  ).viewer.review.edges.map((e: { node: unknown }) => e.node) as { relationship: { id: string }; counterparty: { name: string }; trustScore: number | null; band: string; stage: string }[];
  expect(review.length).toBe(2);
  for (const item of review) {
    const row = page.locator(`[data-testid=clients] tr[data-relationship="${item.relationship.id}"]`);
    expect(await row.locator('a').textContent()).toBe(item.counterparty.name);
    expect(same(await row.locator('[data-testid=review-trust]').getAttribute('data-value'), item.trustScore)).toBe(true);
    expect(await row.locator('[data-testid=review-band]').getAttribute('data-value')).toBe(item.band);
    expect(await row.locator('[data-testid=review-stage]').getAttribute('data-value')).toBe(item.stage);
  }
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'portal-overview.png'), fullPage: true });

  // The key is kept for the session: a reload stays signed in.
  await page.reload();
  await page.waitForSelector('[data-testid=clients]');
});

test('opens a relationship: both sides, the trend and the churn stage are the API numbers, verified in the browser', async () => {
  await page.click(`[data-testid=clients] tr[data-relationship="${rel().id}"] a`);
  await page.waitForSelector('main [data-testid=trust-supplier]');
  // Keyboard and screen-reader focus follows the route to the new view's heading, not <body>.
  await expect.poll(focused).toEqual({ tag: 'H1', text: 'Oak & Sons Furniture → Harbor Hotels' });
  const api = await apiScorecard();
  for (const side of ['supplier', 'client'] as const) {
    expect(same(await shown(`trust-${side}`), api[side].trustScore), `${side} trust score`).toBe(true);
    expect(await shown(`band-${side}`)).toBe(api[side].band);
    for (const dim of DIMENSIONS) expect(same(await shown(`${side}-${dim}`), api[side][dim].score), `${side} ${dim}`).toBe(true);
  }
  // No evidence is said, not drawn: Harbor has had no complaints, so no responsiveness bar.
  expect(api.client.responsiveness.score).toBeNull();
  expect(await page.textContent('[data-testid=party-client]')).toContain('no evidence');
  expect(await page.locator('[data-testid=party-client] [role=meter][aria-label=Responsiveness]').count()).toBe(0);
  expect(await shown('stage')).toBe(api.churn.stage);
  expect(await page.getAttribute('ol.stages li[aria-current=step]', 'class')).toContain('current');
  expect(await page.locator('canvas[role=img]').count()).toBe(1);
  expect(await page.textContent('[data-testid=drivers]')).toMatch(/Install the lobby furniture/);
  // Beside each driver, what its promise weighed (amount against the usual, and the weight).
  expect(await page.textContent('[data-testid=drivers] thead')).toContain('Stake');
  expect((await page.locator('[data-testid=driver-stake]').allTextContents()).some((t) => /weighs/.test(t))).toBe(true);
  // Disputes, with where each stands, as the API lists them (the demo's disputed delivery was resolved: it stands).
  const disputes = ok(await gqlAs(oak().keys.writer, `query($id: ID!) { node(id: $id) { ... on Relationship { disputes { state resolution entry { seq } } } } }`, { id: rel().id })).node
    .disputes as { state: string; resolution: string | null; entry: { seq: number } }[];
  expect(disputes.length).toBeGreaterThan(0);
  expect(await page.locator('[data-testid=dispute-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')))).toEqual(disputes.map((d) => d.state));
  expect(await page.textContent('[data-testid=disputes]')).toContain(`#${disputes[0].entry.seq}`);
  if (disputes[0].resolution === 'STANDS') expect(await page.textContent('[data-testid=disputes]')).toContain('resolved: stands');
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 30_000 });
});

test('a write by the other firm arrives as a live alert without a reload, and the scorecard on screen follows', async () => {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  expect(await shown('stage')).toBe('STABLE');
  // Harbor complains (a complaint not yet due an answer is no sign of leaving on its own), and
  // records that it trialled another supplier ten days ago: a stage that has held past the dwell
  // is announced at once.
  const interaction = `mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { interaction { id } errors { message } } }`;
  ok(
    await gqlAs(harbor().keys.writer, interaction, {
      i: { relationshipId: rel().id, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Scratched tabletop in room 12' },
    }),
    'recordInteraction',
  );
  ok(
    await gqlAs(harbor().keys.writer, interaction, {
      i: {
        relationshipId: rel().id,
        kind: 'ALTERNATIVE_SUPPLIER',
        initiatedBy: 'CLIENT',
        note: 'Trialled another supplier for the spa fit-out',
        occurredAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
      },
    }),
    'recordInteraction',
  );
  const now = ok(await gqlAs(oak().keys.writer, SCORECARD, { id: rel().id })).node.scorecard;
  expect(now.churn.stage).not.toBe('STABLE');
  await page.waitForSelector('[data-testid=alert]', { timeout: 15_000 });
  expect(await page.textContent('[data-testid=alert]')).toMatch(/Harbor Hotels[\s\S]*stage/i);
  await expect.poll(() => shown('stage'), { timeout: 15_000 }).toBe(now.churn.stage);
  expect(await shown('stage')).toBe((await apiScorecard()).churn.stage);
  await page.waitForSelector('[data-testid=complaints] >> text=Scratched tabletop in room 12');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('a bad input comes back as a typed error beside the field it concerns, and records nothing', async () => {
  const head = async () => ok(await gqlAs(oak().keys.writer, SCORECARD, { id: rel().id })).node.head.seq as number;
  const before = await head();
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 30_000 });

  const pulse = page.locator('[data-testid=pulse-form]');
  await pulse.getByLabel('Score (1–5)').fill('7');
  await pulse.getByRole('button', { name: 'Record pulse' }).click();
  await expect.poll(() => pulse.locator('[data-error-for=score]').textContent()).toMatch(/1 to 5/);
  // The message is tied to its field: marked invalid and described by it; the other field is not.
  const score = pulse.getByLabel('Score (1–5)');
  expect(await score.getAttribute('aria-invalid')).toBe('true');
  expect(await pulse.locator(`#${await score.getAttribute('aria-describedby')}`).textContent()).toMatch(/1 to 5/);
  expect(await pulse.getByLabel('Note').getAttribute('aria-invalid')).toBeNull();
  expect(await pulse.locator('[data-error-for=form]').textContent()).toBe('');

  // Breaking a promise needs a reason.
  const promise = page.locator('[data-testid=open-promises] li', { hasText: 'Terrace lounge set' });
  await promise.getByRole('button', { name: 'Broken' }).click();
  await expect.poll(() => promise.locator('[data-error-for=reason]').textContent()).toMatch(/\S/);
  const reason = promise.getByLabel('Reason (to break)');
  expect(await reason.getAttribute('aria-invalid')).toBe('true');
  expect(await promise.locator(`#${await reason.getAttribute('aria-describedby')}`).textContent()).toMatch(/\S/);
  expect(await promise.locator('[data-error-for=form]').textContent()).toBe('');
  expect(await head()).toBe(before);
});

test("answering a complaint through the form moves the supplier's responsiveness on the page", async () => {
  const before = Number(await shown('supplier-responsiveness'));
  const item = page.locator('[data-testid=complaints] li', { hasText: 'Scratched tabletop in room 12' });
  await item.getByLabel('Response').fill('Replacement top fitted this afternoon');
  await item.getByRole('button', { name: 'Record response' }).click();
  await expect.poll(async () => Number(await shown('supplier-responsiveness')), { timeout: 15_000 }).toBeGreaterThan(before);
  const api = await apiScorecard();
  expect(same(await shown('supplier-responsiveness'), api.supplier.responsiveness.score)).toBe(true);
  expect(same(await shown('trust-supplier'), api.supplier.trustScore)).toBe(true);
  // It leaves the complaints awaiting a response, and shows among what moved the figures.
  expect(await page.locator('[data-testid=complaints] li', { hasText: 'Scratched tabletop' }).count()).toBe(0);
  // It moved the figures as a claim: the supplier answered its own complaint, so it weighs half
  // until Harbor confirms it (DESIGN §2a); the page marks claimed drivers as such.
  const drivers = ok(
    await gqlAs(oak().keys.writer, `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { supplier { responsiveness { drivers { reason standing } } } } } } }`, { id: rel().id }),
  ).node.scorecard.supplier.responsiveness.drivers as { reason: string; standing: string | null }[];
  expect(drivers.find((d) => /Scratched tabletop in room 12.*answered in/.test(d.reason))).toMatchObject({ standing: 'CLAIMED' });
  const standings = await page.locator('[data-testid=driver-standing]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
  for (const st of standings) expect(['CLAIMED', 'DISPUTED', 'CONTESTED']).toContain(st);
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 30_000 });
});

test('a promise falling due while the page is open raises an alert and shows as overdue', async () => {
  ok(
    await gqlAs(harbor().keys.writer, `mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
      i: { relationshipId: rel().id, promisor: 'CLIENT', kind: 'PAYMENT', description: 'Final 30% for the lobby', dueAt: new Date(Date.now() + 1500).toISOString() },
    }),
    'makePromise',
  );
  await page.waitForSelector('[data-testid=alert] >> text=Final 30% for the lobby', { timeout: 15_000 });
  await page.waitForSelector('[data-testid=open-promises] li.overdue >> text=Final 30% for the lobby', { timeout: 15_000 });
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(artifacts, 'portal.png'), fullPage: true });
});

test('a ledger that does not check out is shown as not verified', async () => {
  // Tamper with one entry of the ledger on its way to the browser: its hash no longer matches.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('query LedgerPage')) return route.continue();
    const response = await route.fetch();
    const json = await response.json();
    const entry = json.data?.node?.ledger?.edges?.[0]?.node;
    if (entry) entry.occurredAt = '2020-01-01T00:00:00.000Z';
    await route.fulfill({ response, json });
  });
  try {
    await page.reload();
    await page.waitForSelector('[data-testid=verified][data-state=failed]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=verified]')).toMatch(/Not verified/);
    await page.locator('main .title').screenshot({ path: join(artifacts, 'portal-not-verified.png') });
  } finally {
    await page.unroute('**/graphql');
  }
});

/** Serious and critical axe-core violations on the page as it is (axe-core injected into the page). */
async function axeViolations(): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Whether the page scrolls sideways, and the right edge of an element against the viewport's width. */
const widths = (selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const box = el?.getBoundingClientRect();
    return { scroll: document.documentElement.scrollWidth, viewport: window.innerWidth, right: box ? box.right : null, visible: !!box && box.width > 0 && box.height > 0 };
  }, selector);

test('on a 390-px phone nothing scrolls sideways and the key figures are in view; axe-core finds nothing serious on any page', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/portal/#/`);
  await page.waitForSelector('[data-testid=clients]');
  for (const cell of ['[data-testid=clients] [data-testid=review-trust]', '[data-testid=clients] [data-testid=review-stage]', '[data-testid=clients] td[data-label=Overdue]']) {
    const w = await widths(cell);
    expect(w.scroll, 'overview page width').toBeLessThanOrEqual(390);
    expect(w.visible, cell).toBe(true);
    expect(w.right!, cell).toBeLessThanOrEqual(390);
  }
  expect(await axeViolations()).toEqual([]);
  await page.screenshot({ path: join(artifacts, 'portal-phone-overview.png'), fullPage: true });

  await page.click(`[data-testid=clients] tr[data-relationship="${rel().id}"] a`);
  await page.waitForSelector('main [data-testid=trust-supplier]');
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 30_000 });
  for (const cell of ['[data-testid=trust-supplier]', '[data-testid=trust-client]', '[data-testid=stage]', '[data-testid=drivers] td[data-label=Effect]', '[data-testid=drivers] td[data-label=Stake]', '[data-testid=pulse-form] button']) {
    const w = await widths(cell);
    expect(w.scroll, 'relationship page width').toBeLessThanOrEqual(390);
    expect(w.visible, cell).toBe(true);
    expect(w.right!, cell).toBeLessThanOrEqual(390);
  }
  expect(await axeViolations()).toEqual([]);
  await page.screenshot({ path: join(artifacts, 'portal-phone-relationship.png'), fullPage: true });

  // The wide layout and the sign-in page pass too.
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await axeViolations()).toEqual([]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('[data-testid=sign-in]');
  expect(await focused()).toEqual({ tag: 'H1', text: 'Sign in' });
  expect(await axeViolations()).toEqual([]);
});
