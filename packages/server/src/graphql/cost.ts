import { type DocumentNode, type FieldNode, type FragmentDefinitionNode, GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_PAGE } from './pagination.ts';

/**
 * The estimated cost of an operation: graphql-armor's cost model (an object 2, a scalar 1, each
 * level of nesting × 1.5, fragments flattened), with every list a field returns multiplied by its
 * length whether the client wrote it as a literal or passed it as a variable (armor multiplies
 * literal `first`/`last` only): `first`/`last` of connections and the `ids` of `nodes`. Computed
 * before execution, with the request's variables. (The points of a series are charged by the
 * scoring work they cause instead: see work-budget.ts.)
 */
export function operationCost(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) operation ??= d;
  }
  if (!operation) return 0;
  const valueOf = (v: ValueNode): unknown =>
    v.kind === Kind.VARIABLE ? variables[v.name.value] : v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.LIST ? v.values : undefined;
  const multiplier = (field: FieldNode): number => {
    let m = 1;
    for (const arg of field.arguments ?? []) {
      const name = arg.name.value;
      const value = valueOf(arg.value);
      // Counted up to the page limit: a longer list is refused by the field itself, naming its limit.
      if ((name === 'first' || name === 'last') && typeof value === 'number' && Number.isFinite(value)) m = Math.max(m, Math.min(value, MAX_PAGE));
      if (name === 'ids' && Array.isArray(value)) m = Math.max(m, Math.min(value.length, MAX_PAGE));
    }
    return m;
  };
  const visiting = new Set<string>();
  const selections = (set: SelectionSetNode, depth: number): number => {
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__schema' || s.name.value === '__type') continue;
        cost += 1.5 * field(s, depth + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) cost += selections(s.selectionSet, depth);
      else {
        const f = fragments.get(s.name.value);
        if (!f || visiting.has(f.name.value)) continue;
        visiting.add(f.name.value);
        cost += selections(f.selectionSet, depth);
        visiting.delete(f.name.value);
      }
    }
    return cost;
  };
  const field = (f: FieldNode, depth: number): number => (f.selectionSet ? (2 + selections(f.selectionSet, depth)) * multiplier(f) : 1);
  return operation.selectionSet.selections.reduce((sum, s) => sum + (s.kind === Kind.FIELD ? field(s, 1) : selections({ kind: Kind.SELECTION_SET, selections: [s] }, 0)), 0);
}

/** Refuses an operation whose cost (see operationCost) is above `maxCost`, before it runs: LIMIT_EXCEEDED with the figure. */
export function useCostLimit(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
      if (cost > maxCost)
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Query cost limit of ${maxCost} exceeded, found ${Math.round(cost)} (lists count by their first/last or ids, literal or variable). Ask for smaller pages or fewer points, or split the query into several requests.`,
              { extensions: { code: 'LIMIT_EXCEEDED' } },
            ),
          ],
        });
    },
  };
}
