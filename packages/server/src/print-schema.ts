import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { serverRoot } from './paths.ts';
import { printedPossibleTypes, printedSchema } from './schema.ts';

/** Writes packages/schema/schema.graphql from the server's schema (the reviewed contract). */
const out = resolve(serverRoot, '../schema/schema.graphql');
writeFileSync(out, printedSchema());
console.log(`wrote ${out}`);
const possible = resolve(dirname(out), 'src/possible-types.ts');
writeFileSync(possible, printedPossibleTypes());
console.log(`wrote ${possible}`);
