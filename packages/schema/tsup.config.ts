import { defineConfig } from 'tsup';

// The published package: ESM JavaScript and one declaration file, built from src (`pnpm build`).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
});
