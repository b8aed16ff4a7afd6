import { defineConfig } from 'tsup';

// The server and CLI as JavaScript for Node 20 (`pnpm build`; `pnpm start` builds first), so a CLI
// command starts without compiling TypeScript. The workspace packages are bundled from their
// sources (the `source` export condition); npm dependencies stay imports. The scoring pool's
// worker (src/scoring/worker.ts) is its own entry, dist/scoring-worker.js, loaded by the pool.
export default defineConfig({
  entry: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'scoring-worker': 'src/scoring/worker.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  noExternal: [/^@trustledger\//],
  esbuildOptions(options) {
    options.conditions = ['source'];
  },
});
