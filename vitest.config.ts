import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(new URL('./packages/server/package.json', import.meta.url));

export default defineConfig({
  // Tests run against the TypeScript sources: the `source` export condition of the workspace
  // packages, for the browser-like and the server (SSR) environments alike (not their dist/).
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'], externalConditions: ['source'] } },
  resolve: {
    conditions: ['source', 'module', 'browser', 'development|production'],
    // One graphql instance: Pothos and yoga load graphql's CommonJS entry under Node, so source
    // files must too, or graphql rejects types "from another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Servers started by tests log nothing unless a test asks (test/operability reads the request log).
    env: { TRUSTLEDGER_LOG_LEVEL: 'silent' },
    // Type tests (*.test-d.ts, expectTypeOf) run with tsc over the root tsconfig; type errors
    // elsewhere are `pnpm typecheck`'s to report.
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], ignoreSourceErrors: true },
  },
});
