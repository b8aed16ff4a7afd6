/**
 * Relationships: propose, accept, end; the viewer; listing with `as`/`status`; node(id:);
 * representative handovers.
 */
import { expect, test } from 'vitest';
import { ENTRY, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

const REL = 'relationship { id status viewerSide proposedBy supplier { id name } client { id name } counterparty { name } head { seq hash } }';

test('proposeRelationship then acceptRelationship: PROPOSED, then ACTIVE, seen the same way from both sides', async () => {
  await using ts = await startTestServer();
  const proposed = await must(ts.supplier, 'proposeRelationship', { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' }, `${REL} ${ENTRY}`);
  expect(proposed.relationship).toMatchObject({
    status: 'PROPOSED',
    viewerSide: 'SUPPLIER',
    proposedBy: 'SUPPLIER',
    supplier: { id: ts.supplier.id, name: 'Oak & Sons Furniture' },
    client: { id: ts.client.id, name: 'Harbor Hotels' },
    counterparty: { name: 'Harbor Hotels' },
    head: { seq: 1 },
  });
  expect(proposed.entry).toMatchObject({
    seq: 1,
    type: 'RELATIONSHIP_PROPOSED',
    prevHash: '0'.repeat(64),
    actorId: ts.supplier.rawId,
    payload: { supplierFirmId: ts.supplier.rawId, clientFirmId: ts.client.rawId },
  });
  expect(proposed.relationship.head.hash).toBe(proposed.entry.hash);
  const id = proposed.relationship.id;

  // The client sees it from its side, and only the client may accept it.
  const seen = await node(ts.client, id, '... on Relationship { status viewerSide counterparty { name } }');
  expect(seen).toEqual({ __typename: 'Relationship', status: 'PROPOSED', viewerSide: 'CLIENT', counterparty: { name: 'Oak & Sons Furniture' } });
  const own = await fails(ts.supplier, 'acceptRelationship', { relationshipId: id });
  expect(own).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'relationshipId'] });
  expect(own.message).toMatch(/other side/i);
  expect((await head(ts, id)).seq).toBe(1);

  // Before acceptance, only negotiation can be recorded.
  const early = await fails(ts.supplier, 'recordInteraction', { relationshipId: id, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' });
  expect(early).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  expect(early.message).toMatch(/not been accepted/i);

  const accepted = await must(ts.client, 'acceptRelationship', { relationshipId: id }, `${REL} ${ENTRY}`);
  expect(accepted.relationship).toMatchObject({ status: 'ACTIVE', viewerSide: 'CLIENT', head: { seq: 2 } });
  expect(accepted.entry).toMatchObject({ seq: 2, type: 'RELATIONSHIP_ACCEPTED', actorId: ts.client.rawId, prevHash: proposed.entry.hash });

  const again = await fails(ts.client, 'acceptRelationship', { relationshipId: id });
  expect(again).toMatchObject({ __typename: 'ConflictError', path: ['input', 'relationshipId'] });
  expect(again.message).toMatch(/already active/i);
});

test('a client can propose too, taking the CLIENT side', async () => {
  await using ts = await startTestServer();
  const p = await must(ts.client, 'proposeRelationship', { counterpartyId: ts.supplier.id, viewerSide: 'CLIENT' }, REL);
  expect(p.relationship).toMatchObject({
    proposedBy: 'CLIENT',
    viewerSide: 'CLIENT',
    supplier: { id: ts.supplier.id },
    client: { id: ts.client.id },
  });
  const a = await must(ts.supplier, 'acceptRelationship', { relationshipId: p.relationship.id }, REL);
  expect(a.relationship).toMatchObject({ status: 'ACTIVE', viewerSide: 'SUPPLIER' });
});

test('proposeRelationship with an unknown firm or with oneself is refused, and nothing is created', async () => {
  await using ts = await startTestServer();
  const unknown = await fails(ts.supplier, 'proposeRelationship', { counterpartyId: Buffer.from('Firm:frm_nope').toString('base64'), viewerSide: 'SUPPLIER' });
  expect(unknown).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', path: ['input', 'counterpartyId'] });
  const self = await fails(ts.supplier, 'proposeRelationship', { counterpartyId: ts.supplier.id, viewerSide: 'SUPPLIER' });
  expect(self).toMatchObject({ __typename: 'ValidationError', path: ['input', 'counterpartyId'] });
  expect(self.message).toMatch(/itself/);
  const data = ok(await ts.supplier.gql('{ viewer { relationships { edges { node { id } } } } }'));
  expect(data.viewer.relationships.edges).toEqual([]);
});

test('endRelationship closes the ledger: status ENDED, later records are refused', async () => {
  await using ts = await startTestServer();
  const id = await activeRelationship(ts);
  const ended = await must(ts.client, 'endRelationship', { relationshipId: id, reason: 'Moved to another supplier' }, `${REL} ${ENTRY}`);
  expect(ended.relationship.status).toBe('ENDED');
  expect(ended.entry).toMatchObject({ type: 'RELATIONSHIP_ENDED', seq: 3, payload: { reason: 'Moved to another supplier' }, actorId: ts.client.rawId });
  const before = await head(ts, id);
  const late = await fails(ts.supplier, 'recordInteraction', { relationshipId: id, kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER' });
  expect(late).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  expect(late.message).toMatch(/ended/);
  expect(await head(ts, id)).toEqual(before);
  // The record stays readable by both firms.
  expect(await node(ts.supplier, id, '... on Relationship { status }')).toMatchObject({ status: 'ENDED' });
});

test('viewer: the firm, the key role, and relationships filtered by `as` and `status`', async () => {
  await using ts = await startTestServer();
  const hotelChain = await ts.firm('Seaside Resorts');
  const mill = await ts.firm('Timber Mill');
  // supplier → client: ACTIVE, supplier is SUPPLIER
  const active = await activeRelationship(ts);
  // supplier → hotelChain: PROPOSED, supplier is SUPPLIER
  const proposed = (await must(ts.supplier, 'proposeRelationship', { counterpartyId: hotelChain.id, viewerSide: 'SUPPLIER' }, 'relationship { id }')).relationship.id;
  // mill supplies the supplier: supplier is CLIENT; then ended
  const bought = (await must(mill, 'proposeRelationship', { counterpartyId: ts.supplier.id, viewerSide: 'SUPPLIER' }, 'relationship { id }')).relationship.id;
  await must(ts.supplier, 'acceptRelationship', { relationshipId: bought });
  await must(ts.supplier, 'endRelationship', { relationshipId: bought });

  const list = async (args: string, role: 'admin' | 'writer' | 'reader' = 'reader') =>
    ok(await ts.supplier.gql(`{ viewer { relationships${args} { edges { node { id viewerSide status } } } } }`, undefined, role)).viewer.relationships.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );

  const me = ok(await ts.supplier.gql('{ viewer { role firm { id name rawId } } }', undefined, 'reader')).viewer;
  expect(me).toEqual({ role: 'READER', firm: { id: ts.supplier.id, name: 'Oak & Sons Furniture', rawId: ts.supplier.rawId } });
  expect(ok(await ts.supplier.gql('{ viewer { role } }', undefined, 'admin')).viewer.role).toBe('ADMIN');

  expect((await list('')).sort()).toEqual([active, proposed, bought].sort());
  expect((await list('(as: SUPPLIER)')).sort()).toEqual([active, proposed].sort());
  expect(await list('(as: CLIENT)')).toEqual([bought]);
  expect(await list('(status: ACTIVE)')).toEqual([active]);
  expect(await list('(status: PROPOSED)')).toEqual([proposed]);
  expect(await list('(status: ENDED)')).toEqual([bought]);
  expect(await list('(as: CLIENT, status: ACTIVE)')).toEqual([]);

  // Paging: one at a time, following endCursor, visits all three exactly once.
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 5; i++) {
    const page: any = ok(
      await ts.supplier.gql('query($after: String) { viewer { relationships(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }', { after }),
    ).viewer.relationships;
    seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen.sort()).toEqual([active, proposed, bought].sort());

  // The client firm sees only its own relationship.
  const clientSees = ok(await ts.client.gql('{ viewer { relationships { edges { node { id viewerSide } } } } }')).viewer.relationships.edges;
  expect(clientSees).toEqual([{ node: { id: active, viewerSide: 'CLIENT' } }]);
});

test('node(id:) and nodes(ids:) return relationships and firms the viewer may see', async () => {
  await using ts = await startTestServer();
  const id = await activeRelationship(ts);
  const rel = await node(ts.client, id, '... on Relationship { id rawId status supplier { name } }');
  expect(rel).toMatchObject({ __typename: 'Relationship', id, status: 'ACTIVE', supplier: { name: 'Oak & Sons Furniture' } });
  expect(rel.rawId).toMatch(/^rel_/);
  const firm = await node(ts.client, ts.supplier.id, '... on Firm { name }');
  expect(firm).toEqual({ __typename: 'Firm', name: 'Oak & Sons Furniture' });
  const unknown = Buffer.from('Relationship:rel_0000000000000000000').toString('base64');
  const both = ok(await ts.client.gql('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: [id, ts.client.id, unknown] }));
  expect(both.nodes).toEqual([{ __typename: 'Relationship', id }, { __typename: 'Firm', id: ts.client.id }, null]);
});

test('handOverRepresentative: each side names its own representative; the latest one stands', async () => {
  await using ts = await startTestServer();
  const id = await activeRelationship(ts);
  const first = await must(
    ts.supplier,
    'handOverRepresentative',
    { relationshipId: id, side: 'SUPPLIER', name: 'Dana Levi', occurredAt: '2026-01-05T09:00:00+02:00' },
    `relationship { representatives { side name since } } ${ENTRY}`,
  );
  expect(first.relationship.representatives).toEqual([{ side: 'SUPPLIER', name: 'Dana Levi', since: '2026-01-05T07:00:00.000Z' }]);
  expect(first.entry).toMatchObject({ type: 'REPRESENTATIVE_HANDOVER', payload: { side: 'SUPPLIER', name: 'Dana Levi' }, occurredAt: '2026-01-05T07:00:00.000Z' });

  await must(ts.client, 'handOverRepresentative', { relationshipId: id, side: 'CLIENT', name: 'Noa Cohen' });
  await must(ts.supplier, 'handOverRepresentative', { relationshipId: id, side: 'SUPPLIER', name: 'Avi Mizrahi' });
  const reps = (await node(ts.client, id, '... on Relationship { representatives { side name } }')).representatives;
  expect(reps).toHaveLength(2);
  expect(reps).toEqual(expect.arrayContaining([{ side: 'SUPPLIER', name: 'Avi Mizrahi' }, { side: 'CLIENT', name: 'Noa Cohen' }]));

  const before = await head(ts, id);
  const other = await fails(ts.supplier, 'handOverRepresentative', { relationshipId: id, side: 'CLIENT', name: 'Someone' });
  expect(other).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'side'] });
  expect(other.message).toMatch(/own representative/);
  expect(await head(ts, id)).toEqual(before);
});

test('node(id:) and nodes(ids:) with a malformed id answer null, as for any unknown id', async () => {
  await using ts = await startTestServer();
  const id = await activeRelationship(ts);
  for (const bad of ['%%%', 'bm9wZQ==', '', 'UHJvbWlzZTpub3Bl']) {
    const one = await ts.client.gql('query($id: ID!) { node(id: $id) { id } }', { id: bad });
    expect(one, bad).toEqual({ status: 200, data: { node: null } });
  }
  const many = await ts.client.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [id, '%%%'] });
  expect(many).toEqual({ status: 200, data: { nodes: [{ id }, null] } });
});
