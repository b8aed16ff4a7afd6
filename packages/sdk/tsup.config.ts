import { defineConfig } from 'tsup';

// The published package: ESM JavaScript and declarations for `.` and `./scorecard`, built from src
// (`pnpm build`). @trustledger/schema and the other dependencies stay imports, installed beside it.
export default defineConfig({
  entry: { index: 'src/index.ts', scorecard: 'src/scorecard/index.ts' },
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
});
