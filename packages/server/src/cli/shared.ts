import type { Command } from 'commander';
import type { FirmRow, RelationshipRow, Store } from '../store/index.ts';
import { rawIdOf } from '../graphql/ids.ts';

export interface GlobalOptions {
  db: string;
  json?: boolean;
}

/** What every command shares: the global options and how to print and fail. */
export interface Cli {
  opts: () => GlobalOptions;
  /** Prints JSON with --json, else the text. */
  print: (json: unknown, text: string) => void;
  /** Prints `error: message` to stderr and exits with status 1. */
  fail: (message: string) => never;
}

export function cliOf(program: Command): Cli {
  const opts = () => program.opts<GlobalOptions>();
  return {
    opts,
    print: (json, text) => console.log(opts().json ? JSON.stringify(json, null, 2) : text),
    fail: (message) => {
      console.error(`error: ${message}`);
      process.exit(1);
    },
  };
}

/** A firm by its opaque id, raw id or exact name; null when there is none. */
export async function lookupFirm(store: Store, ref: string): Promise<FirmRow | null> {
  const id = rawIdOf(ref, 'Firm') ?? ref;
  const byId = await store.firm(id);
  if (byId) return byId;
  const byName = await store.firmsNamed(ref);
  if (byName.length > 1) throw new Error(`${byName.length} firms are named "${ref}"; give the id instead (see 'firm list')`);
  return byName[0] ?? null;
}

/** A relationship by its opaque id or raw id; null when there is none. */
export async function lookupRelationship(store: Store, ref: string): Promise<RelationshipRow | null> {
  const id = rawIdOf(ref, 'Relationship') ?? ref;
  return (await store.relationship(id)) ?? null;
}

export { userPath } from '../store/index.ts';
