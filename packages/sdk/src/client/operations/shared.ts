import { NotFoundError } from '../errors.ts';
import type { TadaDocumentNode, VariablesOf } from '../graphql.ts';

/** A mutation document's `input` variable type (idempotencyKey is optional in every one). */
export type InputOf<D extends TadaDocumentNode<any, { input: any }>> = VariablesOf<D>['input'];

/** Narrows `node(id:)` to one type; null (unknown, or not visible to this firm) is a NotFoundError. */
export function nodeOf<N extends { __typename?: string } | null | undefined, T extends string>(
  node: N,
  typename: T,
  id: string,
): Extract<NonNullable<N>, { __typename: T }> {
  if (!node || node.__typename !== typename)
    throw new NotFoundError(`No ${typename} with id ${id} is visible to this API key.`, { path: ['id'] });
  return node as Extract<NonNullable<N>, { __typename: T }>;
}
