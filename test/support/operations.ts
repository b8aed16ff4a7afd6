/**
 * Every GraphQL operation the SDK, the portal and the examples send, as sent: read from their
 * sources (the SDK's `graphql(...)` documents with the fragments they spread, the portal's raw
 * subscription), so a test can check each fits the server's query limits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DefinitionNode, type FragmentDefinitionNode, Kind, Lexer, type OperationDefinitionNode, parse, print, Source, TokenKind, visit } from 'graphql';
import { ROOT } from '../cli/cli.ts';

const TEMPLATE = /graphql\(\s*`([\s\S]*?)`/g;
const RAW = /`\s*((?:query|mutation|subscription)\b[^`]*)`/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (d.name === 'node_modules' || d.name === 'dist' ? [] : sources(join(dir, d.name))) : /\.tsx?$/.test(d.name) && !/\.test\.|\.d\.ts$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

export interface SentOperation {
  /** Where it comes from: `sdk:Name`, `portal:…`, `example:…`. */
  name: string;
  document: string;
}

/** The operations, each a complete document (the operation and every fragment it reaches). */
export function sentOperations(): SentOperation[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: { name: string; op: OperationDefinitionNode }[] = [];
  const add = (origin: string, text: string) => {
    for (const def of parse(text).definitions as DefinitionNode[]) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      else if (def.kind === Kind.OPERATION_DEFINITION) operations.push({ name: `${origin}:${def.name?.value ?? def.operation}`, op: def });
    }
  };
  for (const file of sources(join(ROOT, 'packages/sdk/src/client'))) for (const m of readFileSync(file, 'utf8').matchAll(TEMPLATE)) add('sdk', m[1]);
  for (const [origin, dir] of [
    ['portal', 'examples/portal/src'],
    ['example', 'examples'],
  ] as const)
    for (const file of sources(join(ROOT, dir)))
      if (!file.includes(`${join(ROOT, 'examples/portal')}`) || origin === 'portal')
        for (const m of readFileSync(file, 'utf8').matchAll(RAW)) add(`${origin}:${file.slice(ROOT.length + 1)}`, m[1]);
  return operations.map(({ name, op }) => {
    const needed = new Map<string, FragmentDefinitionNode>();
    const reach = (node: unknown) =>
      visit(node as never, {
        FragmentSpread(spread) {
          const f = fragments.get(spread.name.value);
          if (!f) throw new Error(`${name}: unknown fragment ${spread.name.value}`);
          if (!needed.has(f.name.value)) {
            needed.set(f.name.value, f);
            reach(f);
          }
        },
      });
    reach(op);
    return { name, document: [op, ...needed.values()].map((d) => print(d)).join('\n\n') };
  });
}

/** Lexical tokens of a document, as graphql-js counts them for its maxTokens option. */
export function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}
