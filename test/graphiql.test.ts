/**
 * GraphiQL at /graphql works on a machine without internet: the page and its editor are served
 * by the server itself (@graphql-yoga/render-graphiql), checked in Chromium with every request
 * that does not go to 127.0.0.1 blocked.
 */
import { type RunningServer, startServer } from '@trustledger/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, testDatabase } from './support/store.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  database = testDatabase('graphiql');
  server = await startServer({ port: 0, host: '127.0.0.1', ...database.options, rateLimitPerMinute: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  database?.[Symbol.dispose]();
});

test('GraphiQL loads and runs a query with the network closed to everything but the server', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const blocked: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'blob:' || url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  const response = await page.goto(server.graphqlUrl);
  expect(response?.status()).toBe(200);
  // The editor is up (not "Loading…"), with the schema fetched from this server.
  await page.locator('.graphiql-container').first().waitFor({ state: 'visible', timeout: 60_000 });
  await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).not.toMatch(/^\s*Loading/);
  // The default query runs against this server and its answer shows.
  await page.locator('.graphiql-execute-button').first().click();
  await expect.poll(() => page.locator('.graphiql-response').first().innerText(), { timeout: 30_000 }).toMatch(/"__typename":\s*"Query"/);

  expect(blocked).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}, 180_000);
