import SchemaBuilder from '@pothos/core';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import { normaliseTime } from '@trustledger/schema';
import { GraphQLError, Kind } from 'graphql';
import type { Context } from './context.ts';

const NODE_TYPES = new Set(['Firm', 'Relationship', 'LedgerEntry', 'Goal', 'Metric', 'Measurement', 'Promise', 'Interaction', 'PolicyProposal']);

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
