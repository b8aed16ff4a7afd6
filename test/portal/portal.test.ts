import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seedDemo } from '@trustledger/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ok, startTestServer, type TestServer } from '../support/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = `${root}test-artifacts`;
let ts: TestServer;
let browser: Browser;
let page: Page;
let demo: ReturnType<typeof seedDemo>;

beforeAll(async () => {
  if (!existsSync(`${root}examples/portal/dist/index.html`))
    execFileSync('pnpm', ['--filter', '@trustledger/portal', 'build'], { cwd: root, stdio: 'ignore' });
  ts = await startTestServer({ overdueCheckMs: 300 });
  demo = seedDemo(ts.server.db);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ts?.close();
});

const firm = (name: string) => demo.firms.find((f) => f.name === name) as (typeof demo.firms)[number];
const gqlAs = (key: string, query: string, variables?: Record<string, unknown>) => ts.post({ query, variables }, { authorization: `Bearer ${key}` });

test('a supplier signs in, opens a relationship, sees the API numbers verified, answers a complaint and hears an alert', async () => {
  const oak = firm('Oak & Sons Furniture');
  const harbor = firm('Harbor Hotels');
  const rel = demo.relationships.find((r) => r.supplier === oak.name && r.client === harbor.name) as (typeof demo.relationships)[number];
  // The client complains; the supplier will answer it through the portal.
  ok(
    await gqlAs(harbor.keys.writer, `mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { interaction { id } errors { message } } }`, {
      i: { relationshipId: rel.id, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Scratched tabletop in room 12' },
    }),
    'recordInteraction',
  );

  await page.goto(`${ts.server.url}/portal/`);
  await page.fill('input[name=key]', 'tl_not_a_key');
  await page.click('button[type=submit]');
  await expect.poll(() => page.textContent('[data-testid=sign-in]')).toMatch(/unknown or revoked/);

  await page.fill('input[name=key]', oak.keys.writer);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=clients]');
  expect(await page.textContent('#who')).toContain('Oak & Sons Furniture');
  await page.click(`tr[data-relationship="${rel.id}"] a`);
  await page.waitForSelector('[data-testid=trust-supplier]');

  // The numbers on the page are the API's.
  const api = ok(
    await gqlAs(oak.keys.writer, `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { supplier { trustScore band responsiveness { score } } client { trustScore band } churn { stage } } } } }`, { id: rel.id }),
  ).node.scorecard;
  const shown = async (id: string) => page.getAttribute(`[data-testid=${id}]`, 'data-value');
  const near = (a: string | null, b: number | null) => (b === null ? a === '' : Math.abs(Number(a) - b) < 0.05);
  expect(near(await shown('trust-supplier'), api.supplier.trustScore)).toBe(true);
  expect(near(await shown('trust-client'), api.client.trustScore)).toBe(true);
  expect(await shown('band-supplier')).toBe(api.supplier.band);
  expect(await shown('band-client')).toBe(api.client.band);
  expect(await shown('stage')).toBe(api.churn.stage);
  await page.waitForSelector('[data-testid=verified][data-state=verified]', { timeout: 20_000 });

  // A typed error shows beside the field it concerns, and nothing is recorded.
  await page.fill('[data-testid=pulse-form] input[name=score]', '7');
  await page.click('[data-testid=pulse-form] button[type=submit]');
  await expect.poll(() => page.textContent('[data-testid=pulse-form] [data-error-for=score]')).toMatch(/1 to 5/);

  // Answering the complaint moves the supplier's responsiveness on the page.
  const before = Number(await shown('supplier-responsiveness'));
  const form = page.locator('[data-testid=respond-form]').filter({ has: page.locator('xpath=..', { hasText: 'Scratched tabletop' }) }).first();
  await form.locator('input[name=note]').fill('Replacement top fitted this afternoon');
  await form.locator('button[type=submit]').click();
  await expect.poll(async () => Number(await shown('supplier-responsiveness')), { timeout: 15_000 }).toBeGreaterThan(before);
  // It leaves the list of complaints awaiting a response, and shows among what moved the figures.
  expect((await page.locator('[data-testid=complaints]').count()) === 0 || !(await page.textContent('[data-testid=complaints]'))?.includes('Scratched tabletop')).toBe(true);
  expect(await page.textContent('[data-testid=drivers]')).toMatch(/Scratched tabletop.*answered in/);

  // A promise falls due while the page is open: the alert appears without a reload.
  ok(
    await gqlAs(harbor.keys.writer, `mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
      i: { relationshipId: rel.id, promisor: 'CLIENT', kind: 'PAYMENT', description: 'Final 30% for the lobby', dueAt: new Date(Date.now() + 1500).toISOString() },
    }),
    'makePromise',
  );
  await page.waitForSelector('[data-testid=alert]', { timeout: 15_000 });
  expect(await page.textContent('[data-testid=alert]')).toContain('Final 30% for the lobby');

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}/portal.png`, fullPage: true });
});
