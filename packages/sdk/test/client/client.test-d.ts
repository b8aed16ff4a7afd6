import {
  type ConflictError,
  createClient,
  graphql,
  type LedgerVerification,
  type Paginated,
  type PromiseNode,
  type ResultOf,
  type TrustledgerError,
  ValidationError,
  verifyLedger,
} from '@trustledger/sdk';
import { describe, expectTypeOf, it } from 'vitest';

const client = createClient({ url: 'http://localhost/graphql', apiKey: 'k' });

describe('typed SDK', () => {
  it('returns the payload node and entry, non-null, on success', () => {
    type Made = Awaited<ReturnType<typeof client.promises.make>>;
    expectTypeOf<Made['promise']['state']>().toEqualTypeOf<'PROPOSED' | 'OPEN' | 'KEPT' | 'BROKEN' | 'CANCELLED'>();
    expectTypeOf<Made['promise']['outcome']>().toEqualTypeOf<
      'BROKEN' | 'BROKEN_AFTER_RESCHEDULE' | 'BROKEN_WITH_NOTICE' | 'CANCELLED' | 'KEPT_AFTER_NOTICE' | 'KEPT_LATE' | 'KEPT_ON_TIME' | null
    >();
    expectTypeOf<Made['entry']['seq']>().toEqualTypeOf<number>();
    expectTypeOf<Made['entry']['payload']>().toEqualTypeOf<unknown>();
    expectTypeOf<Made>().not.toHaveProperty('errors');
    type Batch = Awaited<ReturnType<typeof client.entries.recordBatch>>;
    expectTypeOf<Batch['entries'][number]['hash']>().toEqualTypeOf<string>();
    type Key = Awaited<ReturnType<typeof client.keys.create>>;
    expectTypeOf<Key['secret']>().toEqualTypeOf<string>();
  });

  it('types inputs from the schema', () => {
    type Input = Parameters<typeof client.promises.make>[0];
    expectTypeOf<Input['kind']>().toEqualTypeOf<'DELIVERY' | 'INSTALLATION' | 'OTHER' | 'PAYMENT' | 'RESPONSE'>();
    expectTypeOf<Input['idempotencyKey']>().toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error promisor is required
    client.promises.make({ relationshipId: 'r', kind: 'DELIVERY', description: 'd', dueAt: '2027-01-01T00:00:00Z' });
  });

  it('lists are async iterables of typed nodes', () => {
    expectTypeOf(client.promises.list('r')).toEqualTypeOf<Paginated<PromiseNode>>();
    expectTypeOf(client.relationships.ledger('r')).toMatchTypeOf<AsyncIterable<{ seq: number; hash: string; actorId: string }>>();
    expectTypeOf(client.relationships.ledgerEntries('r')).resolves.items.toHaveProperty('actorFirmId').toEqualTypeOf<string>();
  });

  it('raw documents are typed end to end', () => {
    const Doc = graphql(`query Names($first: Int!) { viewer { relationships(first: $first) { edges { node { status counterparty { name } } } } } }`);
    expectTypeOf(client.query(Doc, { first: 5 })).resolves.toEqualTypeOf<ResultOf<typeof Doc>>();
    type Node = NonNullable<ResultOf<typeof Doc>['viewer']>['relationships']['edges'][number]['node'];
    expectTypeOf<Node>().toEqualTypeOf<{ status: 'ACTIVE' | 'ENDED' | 'PROPOSED'; counterparty: { name: string } }>();
  });

  it('errors carry code and path; verifyLedger returns a discriminated result', () => {
    expectTypeOf<ValidationError>().toMatchTypeOf<TrustledgerError>();
    expectTypeOf<ConflictError['path']>().toEqualTypeOf<readonly (string | number)[]>();
    expectTypeOf<ValidationError['issues'][number]['message']>().toEqualTypeOf<string>();
    expectTypeOf(verifyLedger([])).toEqualTypeOf<LedgerVerification>();
    const result = verifyLedger([]);
    if (!result.ok) expectTypeOf(result.seq).toEqualTypeOf<number>();
    expectTypeOf(new ValidationError('x').code).toMatchTypeOf<string>();
  });
});
