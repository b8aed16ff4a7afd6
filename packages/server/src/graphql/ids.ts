import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { WriteTx } from '../store/index.ts';
import { notFound } from '../errors.ts';
import { type EntityKey, parseEntityId } from '../ids.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import type { Viewer } from './context.ts';

/** Decodes an opaque id of the given type; null when it is not one. */
export function rawIdOf(globalId: string, typename: string): string | null {
  try {
    const { typename: type, id } = decodeGlobalID(globalId);
    return type === typename ? id : null;
  } catch {
    return null;
  }
}

export const globalIdOf = (typename: string, rawId: string): string => encodeGlobalID(typename, rawId);

/** A relationship the viewer is party to, read inside the writing transaction; NOT_FOUND otherwise, as for unknown ids. */
export function relationshipForWrite(tx: WriteTx, viewer: Viewer, relationshipId: string, path: (string | number)[]): RelationshipRow {
  const raw = rawIdOf(relationshipId, 'Relationship');
  const rel = raw && tx.relationship(raw, viewer.firmId);
  if (!rel) throw notFound('No relationship with this id is visible to you.', path);
  return rel;
}

/** A ledger-backed node id (Promise, Goal, …) the viewer may touch, and its relationship. */
export function entityForWrite(
  tx: WriteTx,
  viewer: Viewer,
  globalId: string,
  typename: string,
  path: (string | number)[],
): { key: EntityKey; rel: RelationshipRow } {
  const raw = rawIdOf(globalId, typename);
  const key = raw ? parseEntityId(raw) : null;
  const article = /^[AEIOU]/.test(typename) ? 'an' : 'a';
  // In words: "ledger entry", "policy proposal".
  const noun = typename.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (!key) throw notFound(`No ${noun} with this id is visible to you (is it ${article} ${typename} id?).`, path);
  try {
    return { key, rel: relationshipForWrite(tx, viewer, globalId && globalIdOf('Relationship', key.relationshipId), path) };
  } catch {
    throw notFound(`No ${noun} with this id is visible to you.`, path);
  }
}
