import { DAY_MS, type Side, toMillis } from '@trustledger/schema';
import type { Store } from '../store/index.ts';
import { globalIdOf } from '../graphql/ids.ts';
import { createApiKeyIn, createFirmIn } from '../keys/service.ts';
import { appendEntry, createRelationship } from '../ledger/append.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import type { Story } from './story.ts';
import { foodServiceStory } from './stories/food-service.ts';
import { furnitureStory } from './stories/furniture.ts';
import { latePayerStory } from './stories/late-payer.ts';
import { steadyTelecomStory } from './stories/steady-telecom.ts';
import { telecomStory } from './stories/telecom.ts';

/** The demo firms, by the key the stories use. */
export const DEMO_FIRMS = {
  oak: 'Oak & Sons Furniture',
  harbor: 'Harbor Hotels',
  brightwave: 'Brightwave Telecom',
  northwind: 'Northwind Logistics',
  freshfields: 'Fresh Fields Catering',
  mosaic: 'Mosaic Retail Group',
} as const;
export type DemoFirmKey = keyof typeof DEMO_FIRMS;

/** The demo's relationships: the stories of DESIGN §1, each a year or less long. */
export const demoStories = (): Story[] => [furnitureStory(), telecomStory(), foodServiceStory(), latePayerStory(), steadyTelecomStory()];

export interface DemoFirm {
  key: DemoFirmKey;
  name: string;
  /** Opaque GraphQL id. */
  id: string;
  rawId: string;
  keys: { admin: string; writer: string };
}

export interface DemoRelationship {
  story: string;
  /** Opaque GraphQL id. */
  id: string;
  rawId: string;
  supplier: string;
  client: string;
  entries: number;
}

export interface DemoResult {
  firms: DemoFirm[];
  relationships: DemoRelationship[];
  entries: number;
}

export interface SeedOptions {
  /** The end of the demo year. @default the current time */
  now?: string;
  /** Called after every entry recorded. */
  onProgress?: (done: number, total: number) => void;
}

/** Whether the database has no firm yet (a first run). */
export const isEmpty = (store: Store): Promise<boolean> => store.isEmpty();

/**
 * Fills the database with the demo: six firms, an admin and a writer key each, and five
 * relationships whose year of history (ending at `now`) tells the stories of DESIGN §1. Every
 * entry goes through appendEntry, so it is validated, hash-chained and scored exactly as API
 * writes are, by the side that may author it and recorded when it happened (recordedAt =
 * occurredAt) unless the story back-dates it. All or nothing: one transaction.
 */
export function seedDemo(store: Store, options: SeedOptions = {}): Promise<DemoResult> {
  const now = options.now ?? new Date().toISOString();
  // Day 0 is midnight UTC a year before today, so the stories end yesterday whatever the hour.
  const today = Math.floor(toMillis(now) / DAY_MS) * DAY_MS;
  const start = today - 365 * DAY_MS;
  const stories = demoStories().map((s) => s.setClock(start));
  const total = stories.reduce((n, s) => n + s.events.length + 1, 0);
  let done = 0;
  const tick = () => {
    done++;
    options.onProgress?.(done, total);
  };

  return store.write((tx) => {
    const firms = new Map<DemoFirmKey, DemoFirm>();
    for (const [key, name] of Object.entries(DEMO_FIRMS) as [DemoFirmKey, string][]) {
      const f = createFirmIn(tx, name, now);
      const keys = {
        admin: createApiKeyIn(tx, f.id, 'ADMIN', 'demo admin', now).secret,
        writer: createApiKeyIn(tx, f.id, 'WRITER', 'demo writer', now).secret,
      };
      firms.set(key, { key, name, id: globalIdOf('Firm', f.id), rawId: f.id, keys });
    }
    const firmOf = (key: string) => {
      const f = firms.get(key as DemoFirmKey);
      if (!f) throw new Error(`demo story refers to unknown firm ${key}`);
      return f;
    };
    const relationships = stories.map((story): DemoRelationship => {
      const supplier = firmOf(story.supplier);
      const client = firmOf(story.client);
      const actor = (side: Side) => (side === 'SUPPLIER' ? supplier.rawId : client.rawId);
      const proposer = { firmId: actor(story.proposedBy), side: story.proposedBy };
      const counterparty = story.proposedBy === 'SUPPLIER' ? client.rawId : supplier.rawId;
      let rel: RelationshipRow = createRelationship(tx, proposer, counterparty, story.iso(story.proposedAt), story.iso(story.proposedAt)).rel;
      tick();
      const seqs = new Map<string, number>();
      const ref = (key: string) => {
        const seq = seqs.get(key);
        if (seq === undefined) throw new Error(`demo story ${story.name}: "${key}" is referred to before it happened`);
        return seq;
      };
      for (const ev of story.timeline()) {
        const occurredAt = story.iso(ev.at);
        if (ev.at >= 365 || toMillis(occurredAt) > toMillis(now)) throw new Error(`demo story ${story.name}: an event lies in the future (${occurredAt})`);
        // Recorded as it happened (the server's clock at the time), unless the story back-dates it.
        const recordedAt = story.iso(ev.recordedAt ?? ev.at);
        if (toMillis(recordedAt) > toMillis(now)) throw new Error(`demo story ${story.name}: recorded in the future (${recordedAt})`);
        let appended: ReturnType<typeof appendEntry>;
        try {
          appended = appendEntry(tx, rel, actor(ev.by), { type: ev.type, payload: ev.payload(ref), occurredAt }, recordedAt);
        } catch (error) {
          throw new Error(`demo story ${story.name}: ${ev.type} at ${occurredAt}: ${(error as Error).message}`);
        }
        rel = appended.rel;
        if (ev.key) seqs.set(ev.key, appended.entry.seq);
        tick();
      }
      return { story: story.name, id: globalIdOf('Relationship', rel.id), rawId: rel.id, supplier: supplier.name, client: client.name, entries: rel.headSeq };
    });
    return { firms: [...firms.values()], relationships, entries: done };
  });
}
