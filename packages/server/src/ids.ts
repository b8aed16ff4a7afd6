import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new id that sorts by creation time: `prefix_` + time + randomness (e.g. rel_0mb3x9k2a4f8q0r7w2s1). */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const bytes = randomBytes(10);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b & 31];
  return `${prefix}_${time}${rand}`;
}

/** Ids of ledger-backed nodes: the relationship and the seq of the entry that made them. */
export const entityId = (relationshipId: string, seq: number, idx?: number): string =>
  idx === undefined ? `${relationshipId}:${seq}` : `${relationshipId}:${seq}:${idx}`;

export interface EntityKey {
  relationshipId: string;
  seq: number;
  idx: number;
}

/** Parses an entity id made by `entityId`; null when malformed. */
export function parseEntityId(id: string): EntityKey | null {
  const m = /^(rel_[0-9a-z]{19}):(\d{1,9})(?::(\d{1,3}))?$/.exec(id);
  if (!m) return null;
  return { relationshipId: m[1], seq: Number(m[2]), idx: m[3] === undefined ? 0 : Number(m[3]) };
}
