import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(new URL('./packages/server/package.json', import.meta.url));

/**
 * TRUSTLEDGER_TEST_STORE=postgres runs the suite against PostgreSQL (test/support/global-setup.ts
 * starts one throw-away cluster; every test server gets a fresh database). Files that would test
 * nothing more there are not run in that pass, each for the reason given (nothing else is left out).
 */
const onPostgres = process.env.TRUSTLEDGER_TEST_STORE === 'postgres';
const NOT_ON_POSTGRES: Record<string, string> = {
  'test/pg/**': 'starts PostgreSQL clusters of its own (2 and 4 instances); the SQLite pass runs it already',
  'test/packaging/**': 'packs the published packages and runs them in a project of their own against a SQLite server; no test database in it',
  'packages/*/test/**': 'unit tests of @trustledger/schema and the SDK: no server, no database',
  'test/schema-contract.test.ts': 'compares printed schema files; no database',
  'test/sdk-types-contract.test.ts': 'type-checks the SDK against the schema; no database',
};

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
    exclude: [...configDefaults.exclude, ...(onPostgres ? Object.keys(NOT_ON_POSTGRES) : [])],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Servers started by tests log nothing unless a test asks (test/operability reads the request log).
    env: { TRUSTLEDGER_LOG_LEVEL: 'silent' },
    // Type tests (*.test-d.ts, expectTypeOf) run with tsc over the root tsconfig; type errors
    // elsewhere are `pnpm typecheck`'s to report.
    typecheck: { enabled: !onPostgres, include: ['packages/*/test/**/*.test-d.ts'], ignoreSourceErrors: true },
  },
});
