/**
 * The published packages as an integrator gets them: scripts/check-packages.mjs packs
 * @trustledger/schema and @trustledger/sdk, installs the tarballs with npm into a fresh project
 * outside the workspace, runs a plain-Node script against a live server and type-checks with
 * `tsc --strict` (node16 and bundler resolution). Needs the npm registry for the packages'
 * own dependencies (zod, gql.tada, …), as any install does.
 */
import { execFile } from 'node:child_process';
import { expect, test } from 'vitest';
import { ROOT } from '../cli/cli.ts';

test('the packed SDK and schema install with npm, run in plain Node and type-check under tsc --strict', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, ['scripts/check-packages.mjs'], { cwd: ROOT, timeout: 900_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
  expect(code, stderr).toBe(0);
  expect(stderr).toMatch(/tsc --strict passes with moduleResolution node16/);
  expect(stderr).toMatch(/tsc --strict passes with moduleResolution bundler/);
  const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  expect(figures).toEqual({
    // proposed, accepted, promise made, promise kept: read one a page by Relay cursor
    entries: 4,
    chainOk: true,
    // UTF-8 end to end
    description: 'Café chairs – batch 1',
    supplierReliabilityEvidence: 1,
    localEqualsServed: true,
    notFound: 'NOT_FOUND',
    userErrorTypes: 4,
    requireWorks: true,
  });
}, 900_000);
