import { defaultClientConditions, defineConfig } from 'vite';

// Served by the trustledger server under /portal/; `pnpm dev` proxies the API to a server on port 4000.
// The SDK and the contract are TypeScript sources in the workspace; Vite bundles them for the browser
// as they are (fetch for the API, @noble/hashes for the ledger's SHA-256).
export default defineConfig({
  base: '/portal/',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 600 },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
