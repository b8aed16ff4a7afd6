import { defineConfig } from 'vite';

// Served by the trustledger server under /portal; `pnpm dev` proxies the API to a local server.
export default defineConfig({
  base: '/portal/',
  resolve: { conditions: ['source'] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
