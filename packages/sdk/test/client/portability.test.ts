import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('../../src/client/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));

it('the client uses web APIs only (fetch, Web Crypto), so it runs in browsers as in Node', () => {
  const offenders = files(root).filter((f) => /from ['"]node:|\bBuffer\b|\bprocess\.|require\(/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
