import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's folder (package.json, drizzle/, bin/), found by walking up from this
 * module, so the TypeScript sources (src/) and the compiled bundle (dist/) find the same files.
 */
export const serverRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'drizzle'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('trustledger: cannot find the server package folder (with drizzle/) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();
