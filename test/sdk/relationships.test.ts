import { NotFoundError } from '@trustledger/sdk';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair, countingFetch, sdk } from './helpers.ts';

describe('client.relationships, viewer, representatives, policies', () => {
  it('reads the viewer behind the key', async () => {
    await using ts = await startTestServer();
    const viewer = await sdk(ts, ts.supplier, 'reader').viewer();
    expect(viewer).toEqual({ firm: { id: ts.supplier.id, name: 'Oak & Sons Furniture', rawId: ts.supplier.rawId }, role: 'READER' });
  });

  it('proposes, accepts and ends a relationship, returning the relationship and the entry', async () => {
    await using ts = await startTestServer();
    const supplier = sdk(ts, ts.supplier);
    const client = sdk(ts, ts.client);
    const proposed = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' });
    expect(proposed.relationship.status).toBe('PROPOSED');
    expect(proposed.entry).toMatchObject({ seq: 1, type: 'RELATIONSHIP_PROPOSED', actorId: ts.supplier.rawId });
    const accepted = await client.relationships.accept({ relationshipId: proposed.relationship.id });
    expect(accepted.relationship).toMatchObject({ status: 'ACTIVE', viewerSide: 'CLIENT', head: { seq: 2, hash: accepted.entry.hash } });
    const ended = await client.relationships.end({ relationshipId: proposed.relationship.id, reason: 'moved on' });
    expect(ended.relationship.status).toBe('ENDED');
    expect(ended.entry).toMatchObject({ seq: 3, type: 'RELATIONSHIP_ENDED', payload: { reason: 'moved on' } });
  });

  it('lists relationships by side lazily, page by page', async () => {
    await using ts = await startTestServer();
    const supplier = sdk(ts, ts.supplier);
    for (let i = 0; i < 7; i++) {
      const other = await ts.firm(`Client ${i}`);
      const { relationship } = await supplier.relationships.propose({ counterpartyId: other.id, viewerSide: 'SUPPLIER' });
      await sdk(ts, other).relationships.accept({ relationshipId: relationship.id });
    }
    const asClient = await ts.firm('Upstream');
    await sdk(ts, asClient).relationships.propose({ counterpartyId: ts.supplier.id, viewerSide: 'SUPPLIER' });

    const { fetch, calls } = countingFetch();
    const counting = sdk(ts, ts.supplier, 'reader', { fetch });
    const list = counting.relationships.list({ as: 'SUPPLIER', pageSize: 3 });
    expect(calls).toHaveLength(0); // lazy: nothing fetched before iteration
    const names: string[] = [];
    for await (const r of list) names.push(r.counterparty.name);
    expect(names.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Client ${i}`));
    expect(calls).toHaveLength(3); // 3 + 3 + 1

    calls.length = 0;
    for await (const r of counting.relationships.list({ as: 'SUPPLIER', pageSize: 3 })) {
      expect(r.viewerSide).toBe('SUPPLIER');
      break;
    }
    expect(calls).toHaveLength(1); // stopping early fetches no more pages

    const suppliers = await counting.relationships.list({ as: 'CLIENT' }).toArray();
    expect(suppliers.map((r) => [r.supplier.name, r.status])).toEqual([['Upstream', 'PROPOSED']]);
    expect(await counting.relationships.list({ status: 'PROPOSED' }).toArray()).toHaveLength(1);
  });

  it('gets one relationship with goals and policies; an outsider gets NotFoundError', async () => {
    await using ts = await startTestServer();
    const { supplier, client, relationshipId } = await activePair(ts);
    const { goal } = await supplier.goals.propose({
      relationshipId,
      title: 'On-time delivery',
      metrics: [{ name: 'On time', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, accountable: 'SUPPLIER' }],
    });
    await client.goals.accept({ goalId: goal.id });
    const detail = await client.relationships.get(relationshipId);
    expect(detail).toMatchObject({ id: relationshipId, status: 'ACTIVE', viewerSide: 'CLIENT', supplier: { name: 'Oak & Sons Furniture' } });
    expect(detail.goals.edges.map((e) => [e.node.title, e.node.status, e.node.metrics[0].target])).toEqual([['On-time delivery', 'AGREED', 95]]);

    const outsider = sdk(ts, ts.outsider);
    const error = await outsider.relationships.get(relationshipId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    await expect(outsider.promises.list(relationshipId).toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('hands over a representative', async () => {
    await using ts = await startTestServer();
    const { supplier, relationshipId } = await activePair(ts);
    const { relationship, entry } = await supplier.representatives.handOver({ relationshipId, side: 'SUPPLIER', name: 'Dana Levi' });
    expect(relationship.representatives).toEqual([expect.objectContaining({ side: 'SUPPLIER', name: 'Dana Levi' })]);
    expect(entry).toMatchObject({ type: 'REPRESENTATIVE_HANDOVER', payload: { side: 'SUPPLIER', name: 'Dana Levi' } });
  });

  it('proposes and accepts a scoring policy', async () => {
    await using ts = await startTestServer();
    const { supplier, client, relationshipId } = await activePair(ts);
    const proposed = await supplier.policies.propose({ relationshipId, policy: { halfLifeDays: { negative: 400 } } });
    expect(proposed.policy).toMatchObject({ status: 'PROPOSED', proposedBy: 'SUPPLIER', policy: { halfLifeDays: { negative: 400 } } });
    const accepted = await client.policies.accept({ policyId: proposed.policy.id });
    expect(accepted.policy.status).toBe('ACCEPTED');
    expect(accepted.entry).toMatchObject({ type: 'POLICY_ACCEPTED', payload: { policySeq: proposed.entry.seq } });
    expect((await client.relationships.get(relationshipId)).policies.map((p) => p.status)).toEqual(['ACCEPTED']);
  });
});
