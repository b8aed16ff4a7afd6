// Plain Node, no TypeScript, no loaders: what an integrator runs after `npm install`.
import { createRequire } from 'node:module';
import { NotFoundError, createClient, toLedgerRecord, verifyLedger } from '@trustledger/sdk';
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { possibleTypes } from '@trustledger/schema';

const { TRUSTLEDGER_URL: url, SUPPLIER_KEY, CLIENT_KEY, CLIENT_ID } = process.env;
const supplier = createClient({ url, apiKey: SUPPLIER_KEY });
const client = createClient({ url, apiKey: CLIENT_KEY });

const { relationship } = await supplier.relationships.propose({ counterpartyId: CLIENT_ID, viewerSide: 'SUPPLIER' });
await client.relationships.accept({ relationshipId: relationship.id });
const made = await supplier.promises.make({
  relationshipId: relationship.id,
  promisor: 'SUPPLIER',
  kind: 'INSTALLATION',
  description: 'Café chairs – batch 1',
  dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
});
await supplier.promises.keep({ promiseId: made.promise.id });

// Every page of the ledger (one entry a page, by Relay cursor), verified, and the scorecard recomputed and compared.
const entries = (await client.relationships.ledger(relationship.id, { pageSize: 1 }).toArray()).map(toLedgerRecord);
const chain = verifyLedger(entries);
const scorecard = await client.relationships.scorecard(relationship.id, { verify: true });
const local = computeScorecard(entries, { asOf: scorecard.asOf });

let notFound = null;
try {
  await client.relationships.get('UmVsYXRpb25zaGlwOm5vbmU=');
} catch (error) {
  notFound = error instanceof NotFoundError ? error.code : String(error);
}

// CommonJS callers: require() of the ESM package works on Node ≥ 20.19.
const required = createRequire(import.meta.url)('@trustledger/sdk');

console.log(
  JSON.stringify({
    entries: entries.length,
    chainOk: chain.ok,
    description: entries.find((e) => e.type === 'PROMISE_MADE')?.payload.description,
    supplierReliabilityEvidence: scorecard.supplier.reliability.evidence,
    localEqualsServed: local.supplier.trustScore === scorecard.supplier.trustScore,
    notFound,
    userErrorTypes: possibleTypes.UserError.length,
    requireWorks: typeof required.createClient === 'function',
  }),
);
