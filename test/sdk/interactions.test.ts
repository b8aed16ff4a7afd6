import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair } from './helpers.ts';

it('records a complaint, responds to it, resolves it, and lists interactions by kind across pages', async () => {
  await using ts = await startTestServer();
  const { supplier, client, relationshipId } = await activePair(ts);
  const complaint = await client.interactions.record({
    relationshipId,
    kind: 'COMPLAINT',
    initiatedBy: 'CLIENT',
    note: 'Scratched tables',
    occurredAt: '2026-02-01T08:00:00Z',
  });
  expect(complaint.interaction).toMatchObject({ kind: 'COMPLAINT', initiatedBy: 'CLIENT', firstResponseAt: null });
  const responded = await supplier.interactions.respond({ interactionId: complaint.interaction.id, note: 'On it', occurredAt: '2026-02-01T10:00:00Z' });
  expect(responded.interaction.firstResponseAt).toBe('2026-02-01T10:00:00.000Z');
  expect(responded.entry.type).toBe('COMPLAINT_RESPONDED');
  const resolved = await supplier.interactions.resolve({ interactionId: complaint.interaction.id, occurredAt: '2026-02-03T10:00:00Z' });
  expect(resolved.interaction.resolvedAt).toBe('2026-02-03T10:00:00.000Z');

  for (let i = 0; i < 4; i++) await client.interactions.record({ relationshipId, kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 100 + i });
  await client.interactions.record({ relationshipId, kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 4 });

  const all = await supplier.interactions.list(relationshipId, { pageSize: 2 }).toArray();
  expect(all).toHaveLength(6);
  const activity = await supplier.interactions.list(relationshipId, { kinds: ['ACTIVITY'], pageSize: 3 }).toArray();
  expect(activity.map((i) => i.volume)).toEqual([100, 101, 102, 103]);
});
