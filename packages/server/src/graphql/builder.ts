import SchemaBuilder, { brandWithType } from '@pothos/core';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import { normaliseTime } from '@trustledger/schema';
import { GraphQLError, Kind } from 'graphql';
import type { Context } from './context.ts';
import { LIMIT_EXCEEDED_MESSAGE } from './limits.ts';
import { AppError } from '../errors.ts';
import { MAX_PAGE } from './pagination.ts';

const NODE_TYPES = new Set(['Firm', 'Relationship', 'LedgerEntry', 'Goal', 'Metric', 'Measurement', 'Promise', 'Interaction', 'PolicyProposal']);

const brand = (node: unknown, typename: string) => {
  if (node !== null && typeof node === 'object') brandWithType(node, typename as never);
  return node;
};

/** The one Pothos builder; it owns the context type. */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // Loaded nodes are branded with their type here, once loaded: Pothos brands them only after
    // its own batch settles, so the same id asked twice in one request (aliases) could otherwise
    // reach type resolution unbranded and fail.
    nodeQueryOptions: {
      resolve: async (_root, args, _ctx, _info, resolveNode) => brand(await resolveNode(args.id), args.id.typename),
    },
    // nodes(ids:) is a list like any connection page: at most MAX_PAGE ids, more is LIMIT_EXCEEDED.
    nodesQueryOptions: {
      description: `Nodes by id, in the order asked (null for an unknown or invisible id); at most ${MAX_PAGE} ids a call.`,
      resolve: (_root, args, _ctx, _info, resolveNodes) => {
        if (args.ids.length > MAX_PAGE) throw new AppError('LIMIT_EXCEEDED', LIMIT_EXCEEDED_MESSAGE.ids(args.ids.length, MAX_PAGE), ['ids']);
        return resolveNodes(args.ids).then((nodes) => Promise.all(nodes).then((all) => all.map((n, i) => brand(n, args.ids[i].typename))));
      },
    },
    // A malformed id, or one of a type that is not a node, answers null like an unknown id.
    decodeGlobalID: (globalID) => {
      try {
        const decoded = decodeGlobalID(globalID);
        if (NODE_TYPES.has(decoded.typename)) return decoded;
      } catch {}
      return { typename: 'Firm', id: '' };
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description:
    'RFC 3339 date-time with an offset, e.g. 2026-03-01T09:00:00Z. Returned in UTC with milliseconds, the form the ledger hashes. ' +
    'Inputs are checked by the mutation that takes them and reported as typed validation errors with their path.',
  serialize: (value) => {
    const t = normaliseTime(value);
    if (t === null) throw new GraphQLError('DateTime cannot represent an invalid date');
    return t;
  },
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be a string such as 2026-03-01T09:00:00Z');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string such as 2026-03-01T09:00:00Z');
    return ast.value;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast) => {
    const read = (node: typeof ast): unknown => {
      switch (node.kind) {
        case Kind.STRING:
        case Kind.BOOLEAN:
          return node.value;
        case Kind.INT:
        case Kind.FLOAT:
          return Number(node.value);
        case Kind.NULL:
          return null;
        case Kind.LIST:
          return node.values.map(read);
        case Kind.OBJECT:
          return Object.fromEntries(node.fields.map((f) => [f.name.value, read(f.value)]));
        default:
          throw new GraphQLError('JSON literals cannot contain variables');
      }
    };
    return read(ast);
  },
});
