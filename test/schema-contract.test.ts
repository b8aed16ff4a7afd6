import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { possibleTypes } from '@trustledger/schema';
import { possibleTypesOf, printedPossibleTypes, printedSchema } from '@trustledger/server';
import { expect, test } from 'vitest';

const committed = fileURLToPath(new URL('../packages/schema/schema.graphql', import.meta.url));
const committedPossible = fileURLToPath(new URL('../packages/schema/src/possible-types.ts', import.meta.url));

test('the committed schema.graphql is the schema the server serves (run pnpm schema:print after changing the API)', () => {
  expect(printedSchema()).toBe(readFileSync(committed, 'utf8'));
});

test('the contract keeps the names partners code against (API.md)', () => {
  const sdl = printedSchema();
  for (const name of [
    'type Relationship implements Node',
    'type LedgerEntry implements Node',
    'type Promise implements Node',
    'type Scorecard',
    'review(',
    'recordEntries(input: RecordEntriesInput!): RecordEntriesPayload!',
    'enum ChurnStage',
  ])
    expect(sdl).toContain(name);
  // Arguments added since (atSeq) are optional: a call with points alone stays valid.
  const series = /scorecardSeries\(([\s\S]*?)\): \[Scorecard!\]!/.exec(sdl)?.[1] ?? '';
  expect(series).toContain('points: [DateTime!]!');
  expect(series).toContain('atSeq: Int\n');
});

test('@trustledger/schema exports possibleTypes as the served schema has them (run pnpm schema:print after changing the API)', () => {
  expect(printedPossibleTypes()).toBe(readFileSync(committedPossible, 'utf8'));
  expect(possibleTypes).toEqual(possibleTypesOf());
  // What Apollo needs to read typed payload errors and nodes by fragment.
  expect(possibleTypes.UserError).toEqual(expect.arrayContaining(['ValidationError', 'NotFoundError', 'ForbiddenError', 'ConflictError']));
  expect(possibleTypes.Node).toEqual(expect.arrayContaining(['Relationship', 'LedgerEntry', 'Promise', 'Firm', 'ApiKey']));
});
