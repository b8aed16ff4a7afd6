import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printedPossibleTypes, printedSchema } from './schema.ts';

/** Writes packages/schema/schema.graphql from the server's schema (the reviewed contract). */
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../schema/schema.graphql');
writeFileSync(out, printedSchema());
console.log(`wrote ${out}`);
const possible = resolve(dirname(out), 'src/possible-types.ts');
writeFileSync(possible, printedPossibleTypes());
console.log(`wrote ${possible}`);
