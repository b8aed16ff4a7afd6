/**
 * A figure a party saw can be reproduced (DESIGN §2a): a scorecard is answered as of a business
 * time and as known at a ledger head (`atSeq`), a review as known at a server time (`asKnownAt`).
 * A scorecard and a review pinned on 1 June are the same on 1 August, after more entries were
 * recorded, later ones and back-dated ones, through the API and the SDK, and the SDK verifies a
 * pinned scorecard against the ledger and the server.
 */
import { type Scorecard, ValidationError, VerificationError } from '@trustledger/sdk';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { sdk } from '../sdk/helpers.ts';

const PINNED_AT = '2026-06-01T00:00:00.000Z';
let clock = '2026-01-05T09:00:00.000Z';
let ts: TestServer;
let oak: string;
let birch: string;
let client: ReturnType<typeof sdk>;
let oakSdk: ReturnType<typeof sdk>;
let birchSdk: ReturnType<typeof sdk>;
/** What the client saw on 1 June. */
let pinnedOak: Scorecard;
let pinnedReview: { name: string; trustScore: number | null; band: string; open: number; overdue: number; head: unknown }[];

const reviewRows = async (options: { asKnownAt?: string }) =>
  (await client.review({ as: 'CLIENT', asOf: PINNED_AT, ...options }).toArray()).map((i) => ({
    name: i.counterparty.name,
    trustScore: i.trustScore,
    band: i.band,
    open: i.openPromises,
    overdue: i.overduePromises,
    head: i.scorecard.head,
  }));

async function delivery(supplier: ReturnType<typeof sdk>, relationshipId: string, made: string, due: string, outcome: { keptAt?: string; brokenAt?: string }) {
  const { promise } = await supplier.promises.make({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: `Delivery due ${due.slice(0, 10)}`, dueAt: due, occurredAt: made });
  if (outcome.keptAt) await supplier.promises.keep({ promiseId: promise.id, occurredAt: outcome.keptAt });
  if (outcome.brokenAt) await supplier.promises.break({ promiseId: promise.id, reason: 'Factory fire', occurredAt: outcome.brokenAt });
}

beforeAll(async () => {
  ts = await startTestServer({ now: () => clock });
  const birchFirm = await ts.firm('Birch Joinery');
  client = sdk(ts, ts.client);
  oakSdk = sdk(ts, ts.supplier);
  birchSdk = sdk(ts, birchFirm);
  const relate = async (supplier: ReturnType<typeof sdk>) => {
    const { relationship } = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt: clock });
    await client.relationships.accept({ relationshipId: relationship.id, occurredAt: clock });
    return relationship.id;
  };
  oak = await relate(oakSdk);
  birch = await relate(birchSdk);
  // Until 1 June: Oak keeps three deliveries on time; Birch keeps two, one of them late.
  clock = PINNED_AT;
  for (const m of [2, 3, 4]) await delivery(oakSdk, oak, `2026-0${m}-01T09:00:00Z`, `2026-0${m}-10T09:00:00Z`, { keptAt: `2026-0${m}-09T09:00:00Z` });
  await delivery(birchSdk, birch, '2026-02-01T09:00:00Z', '2026-02-10T09:00:00Z', { keptAt: '2026-02-09T09:00:00Z' });
  await delivery(birchSdk, birch, '2026-03-01T09:00:00Z', '2026-03-10T09:00:00Z', { keptAt: '2026-03-20T09:00:00Z' });
  await delivery(birchSdk, birch, '2026-05-01T09:00:00Z', '2026-07-10T09:00:00Z', {});
  pinnedOak = await client.relationships.scorecard(oak, { asOf: PINNED_AT });
  pinnedReview = await reviewRows({});

  // By 1 August both suppliers recorded more: later entries and entries back-dated before 1 June.
  clock = '2026-08-01T00:00:00.000Z';
  await delivery(oakSdk, oak, '2026-04-20T09:00:00Z', '2026-05-01T09:00:00Z', { brokenAt: '2026-05-20T09:00:00Z' }); // back-dated slip
  await delivery(oakSdk, oak, '2026-05-02T09:00:00Z', '2026-05-12T09:00:00Z', { keptAt: '2026-05-25T09:00:00Z' }); // back-dated late keep
  await client.interactions.record({ relationshipId: oak, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Wrong finish', occurredAt: '2026-05-21T09:00:00Z' });
  await delivery(oakSdk, oak, '2026-07-01T09:00:00Z', '2026-07-10T09:00:00Z', { keptAt: '2026-07-09T09:00:00Z' }); // later
  for (const d of ['10', '20']) await delivery(birchSdk, birch, `2026-05-${d}T09:00:00Z`, `2026-05-${d}T15:00:00Z`, { keptAt: `2026-05-${d}T14:00:00Z` }); // back-dated
}, 120_000);
afterAll(() => ts?.close());

test('the scorecard as of 1 June, asked again on 1 August at the pinned head, is the same scorecard', async () => {
  const now = await client.relationships.scorecard(oak, { asOf: PINNED_AT });
  // Without the pin, the back-dated slip moves the figure for 1 June: that is what pinning is for.
  expect(now.head.seq).toBeGreaterThan(pinnedOak.head.seq);
  expect(now.supplier.trustScore).toBeLessThan(pinnedOak.supplier.trustScore as number);
  const again = await client.relationships.scorecard(oak, { asOf: PINNED_AT, atSeq: pinnedOak.head.seq });
  expect(again).toEqual(pinnedOak);
  // Either side asks, same answer; and the series at the pinned head holds the same point.
  expect(await oakSdk.relationships.scorecard(oak, { asOf: PINNED_AT, atSeq: pinnedOak.head.seq })).toEqual(pinnedOak);
  const series = await client.relationships.scorecardSeries(oak, ['2026-04-01T00:00:00Z', PINNED_AT], { atSeq: pinnedOak.head.seq });
  expect(series[1]).toEqual(pinnedOak);
  expect(series[0].head).toEqual(pinnedOak.head);
  expect(series[0]).toEqual(await client.relationships.scorecard(oak, { asOf: '2026-04-01T00:00:00Z', atSeq: pinnedOak.head.seq }));
  // An earlier head gives that head's figures, named by it: at entry 3 the first delivery was
  // known as promised but not yet as kept, so as of 1 June it reads as open past due and grace.
  const early = await client.relationships.scorecard(oak, { asOf: PINNED_AT, atSeq: 3 });
  expect(early.head.seq).toBe(3);
  expect(early.supplier.reliability.evidence).toBe(1);
  expect(early.supplier.trustScore).toBeLessThan(pinnedOak.supplier.trustScore as number);
});

test('the review pinned on 1 June (asOf and asKnownAt) is the same review on 1 August: ranking, figures and heads', async () => {
  expect(pinnedReview.map((r) => r.name)).toEqual(['Birch Joinery', 'Oak & Sons Furniture']);
  expect(await reviewRows({ asKnownAt: PINNED_AT })).toEqual(pinnedReview);
  // Unpinned, what was recorded since reorders the same 1 June: Oak's back-dated slip, Birch's back-dated keeps.
  const unpinned = await reviewRows({});
  expect(unpinned.map((r) => r.name)).toEqual(['Oak & Sons Furniture', 'Birch Joinery']);
  // Known at an earlier time, a review holds only the relationships accepted by then.
  expect(await reviewRows({ asKnownAt: '2026-01-01T00:00:00Z' })).toEqual([]);
});

test('the SDK verifies a pinned scorecard: the ledger still holds its head, the engine and the server reproduce it', async () => {
  const verified = await client.relationships.verifyPinnedScorecard(oak, pinnedOak);
  expect(verified.head.seq).toBeGreaterThan(pinnedOak.head.seq);
  expect(verified.served).toEqual(pinnedOak);
  expect(await client.relationships.scorecard(oak, { asOf: PINNED_AT, atSeq: pinnedOak.head.seq, verify: true })).toEqual(pinnedOak);

  // A pinned figure someone edited, or a head the ledger does not hold, fails verification.
  const edited = structuredClone(pinnedOak);
  edited.supplier.trustScore = (edited.supplier.trustScore as number) + 3;
  const figure = await client.relationships.verifyPinnedScorecard(oak, edited).catch((e: unknown) => e);
  expect(figure).toBeInstanceOf(VerificationError);
  expect((figure as VerificationError).message).toMatch(/supplier\.trustScore/);
  const otherHead = { ...pinnedOak, head: { seq: pinnedOak.head.seq, hash: 'f'.repeat(64) } };
  const rewritten = await client.relationships.verifyPinnedScorecard(oak, otherHead).catch((e: unknown) => e);
  expect(rewritten).toBeInstanceOf(VerificationError);
  expect((rewritten as VerificationError).message).toMatch(/history was rewritten/);
});

test('atSeq outside the ledger is a ValidationError that names the head', async () => {
  const head = (await client.relationships.scorecard(oak)).head.seq;
  for (const atSeq of [0, -1, head + 1]) {
    const error = await client.relationships.scorecard(oak, { asOf: PINNED_AT, atSeq }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain(`from 1 to ${head} (the current head)`);
    const series = await client.relationships.scorecardSeries(oak, [PINNED_AT], { atSeq }).catch((e: unknown) => e);
    expect(series).toBeInstanceOf(ValidationError);
  }
  const raw = await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard(atSeq: ${head + 1}) { asOf } } } }`, { id: oak });
  expect(raw.errors?.[0]).toMatchObject({ extensions: { code: 'VALIDATION', path: ['atSeq'] } });
});
