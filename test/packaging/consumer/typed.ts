// Type-checked with `tsc --strict` under moduleResolution node16 and bundler (scripts/check-packages.mjs).
import { createClient, type LedgerRecord, NotFoundError, type Scorecard, TrustledgerError } from '@trustledger/sdk';
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { hashEntry, possibleTypes } from '@trustledger/schema';

export async function review(url: string, apiKey: string, relationshipId: string): Promise<string[]> {
  const client = createClient({ url, apiKey });
  const lines: string[] = [];
  for await (const row of client.review({ as: 'CLIENT' })) {
    const band: string = row.band;
    lines.push(`${row.counterparty.name}: ${band}`);
  }
  const entries: LedgerRecord[] = await client.relationships.ledgerEntries(relationshipId);
  const served: Scorecard = await client.relationships.scorecard(relationshipId);
  const local = computeScorecard(entries, { asOf: served.asOf });
  const trust: number | null = local.supplier.trustScore;
  const first = entries[0];
  if (first) lines.push(hashEntry(first));
  try {
    await client.promises.keep({ promiseId: 'nope' });
  } catch (error) {
    if (error instanceof NotFoundError) lines.push(error.path.join('.'));
    else if (error instanceof TrustledgerError) lines.push(error.code);
  }
  const nodeTypes: string[] = possibleTypes.Node ?? [];
  // @ts-expect-error: the SDK's results are typed from the schema; a field that does not exist is an error.
  lines.push(served.supplier.notAField);
  return [...lines, String(trust), ...nodeTypes];
}
