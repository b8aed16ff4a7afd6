import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
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
export function lookupFirm(db: Db, ref: string) {
  const id = rawIdOf(ref, 'Firm') ?? ref;
  const byId = db.select().from(t.firms).where(eq(t.firms.id, id)).get();
  if (byId) return byId;
  const byName = db.select().from(t.firms).where(eq(t.firms.name, ref)).all();
  if (byName.length > 1) throw new Error(`${byName.length} firms are named "${ref}"; give the id instead (see 'firm list')`);
  return byName[0] ?? null;
}

/** A relationship by its opaque id or raw id; null when there is none. */
export function lookupRelationship(db: Db, ref: string) {
  const id = rawIdOf(ref, 'Relationship') ?? ref;
  return db.select().from(t.relationships).where(eq(t.relationships.id, id)).get() ?? null;
}

export { userPath } from '../db/client.ts';
