import type { InputFieldBuilder, InputFieldMap, InputShapeFromFields, ObjectRef, SchemaTypes } from '@pothos/core';
import type { EntryType, LedgerEntry } from '@trustledger/schema';
import type { WriteTx } from '../store/index.ts';
import { AppError } from '../errors.ts';
import { type EntityKey, entityId } from '../ids.ts';
import type { builder } from '../graphql/builder.ts';
import type { Viewer } from '../graphql/context.ts';
import { entityForWrite, relationshipForWrite } from '../graphql/ids.ts';
import { defineMutation } from '../graphql/mutation.ts';
import { appendEntry } from './append.ts';
import type { RelationshipRow } from './rules.ts';
import { EntryRef, entryLoadKey } from './types.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : SchemaTypes;

/** References a mutation stores (and replays): the entry appended and the node it made or changed. */
export interface EntryResult {
  entry: string;
  node: string;
}

/** Payload fields that name an earlier entry, and the input field that carried it. */
const REFERENCE_FIELDS = new Set(['promiseSeq', 'goalSeq', 'interactionSeq', 'entrySeq', 'metricSeq', 'metricIndex', 'policySeq']);

export interface EntryMutationSpec<Fields extends InputFieldMap> {
  name: string;
  description: string;
  type: EntryType;
  /** The input field holding the id the mutation acts on, and that id's type. */
  target: { field: string; typename: string };
  input: (t: InputFieldBuilder<Types, 'InputObject'>) => Fields;
  /** The entry's payload from the input and the target's key (and the transaction, to look up a proposal). */
  payload: (input: InputShapeFromFields<Fields>, key: EntityKey, tx: WriteTx) => Record<string, unknown>;
  /** The payload field naming what the mutation made or changed, and how to find its key. */
  result: { field: string; type: ObjectRef<Types, unknown>; key: (entry: LedgerEntry, key: EntityKey) => string };
}

/**
 * Maps a path inside the entry (['payload', 'dueAt']) to the mutation input (['input', 'dueAt']):
 * references and the relationship map to the id field the caller sent; a nested `metric`
 * (METRIC_ADDED) is flat in the input.
 */
function toInputPath(path: (string | number)[], targetField: string): (string | number)[] {
  let rest = path[0] === 'payload' ? path.slice(1) : path;
  if (rest[0] === 'metric' && rest.length > 1) rest = rest.slice(1);
  return ['input', ...(REFERENCE_FIELDS.has(String(rest[0])) || rest[0] === 'relationshipId' ? [targetField] : rest)];
}

/**
 * Defines a mutation that appends one entry to the ledger of the relationship its target belongs
 * to: the common shape of most trustledger mutations.
 */
export function defineEntryMutation<Fields extends InputFieldMap>(spec: EntryMutationSpec<Fields>): void {
  defineMutation({
    name: spec.name,
    description: spec.description,
    input: (t) => ({
      ...spec.input(t),
      occurredAt: t.field({
        type: 'DateTime',
        required: false,
        description: 'When it happened in business time (may be in the past). Default: now.',
      }),
    }),
    payload: (t) => ({
      [spec.result.field]: t.field({
        type: spec.result.type,
        nullable: true,
        resolve: (p, _a, ctx) => (p.result ? loadNode(ctx, spec.result.type.name, p.result.node) : null),
      }),
      entry: t.field({
        type: EntryRef,
        nullable: true,
        description: 'The ledger entry this mutation appended.',
        resolve: (p, _a, ctx) => (p.result ? ctx.loaders.entry.load(p.result.entry) : null),
      }),
    }),
    run: (tx, input, viewer, now, ctx): EntryResult => {
      const { occurredAt, ...fields } = input as Record<string, unknown>;
      const targetId = fields[spec.target.field] as string;
      const path = ['input', spec.target.field];
      const { key, rel }: { key: EntityKey; rel: RelationshipRow } =
        spec.target.typename === 'Relationship'
          ? (() => {
              const r = relationshipForWrite(tx, viewer, targetId, path);
              return { key: { relationshipId: r.id, seq: 0, idx: 0 }, rel: r };
            })()
          : entityForWrite(tx, viewer, targetId, spec.target.typename, path);
      try {
        const { entry, row } = appendEntry(
          tx,
          rel,
          viewer.firmId,
          { type: spec.type, payload: spec.payload(input as unknown as InputShapeFromFields<Fields>, key, tx), occurredAt: occurredAt as string | null },
          now,
        );
        const entryKey = entryLoadKey(entry);
        // The payload's `entry` is the row just written (the only entry of this transaction, so
        // nothing confirmed, disputed or voided it): no read after commit. Used only if it commits.
        ctx.loaders.entry.clear(entryKey).prime(entryKey, row);
        return { entry: entryKey, node: spec.result.key(entry, key) };
      } catch (error) {
        if (error instanceof AppError)
          throw new AppError(error.code, error.message, toInputPath(error.path_, spec.target.field), error.issues.map((i) => ({
            ...i,
            path: toInputPath(i.path, spec.target.field),
          })));
        throw error;
      }
    },
  });
}

/** Loads a node by type name and internal key through the request's loaders. */
export function loadNode(ctx: { loaders: Record<string, unknown> }, typename: string, key: string): Promise<unknown> {
  const loaderName = typename === 'LedgerEntry' ? 'entry' : typename === 'Relationship' ? 'relationship' : typename[0].toLowerCase() + typename.slice(1);
  const loader = ctx.loaders[loaderName] as { load: (k: string) => Promise<unknown> };
  return loader.load(key);
}

/** The key of the node an entry made: `rel:seq`. */
export const madeByEntry = (entry: LedgerEntry): string => entityId(entry.relationshipId, entry.seq);

