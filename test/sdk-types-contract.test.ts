import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const sdk = fileURLToPath(new URL('../packages/sdk/', import.meta.url));

test("the SDK's generated GraphQL types match schema.graphql (run pnpm --filter @trustledger/sdk codegen after changing the API)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tada-'));
  try {
    const out = join(dir, 'graphql-env.d.ts');
    execFileSync(join(sdk, 'node_modules/.bin/gql-tada'), ['generate', 'output', '--tsconfig', 'tsconfig.json', '--output', out], { cwd: sdk, stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(sdk, 'src/client/graphql-env.d.ts'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
