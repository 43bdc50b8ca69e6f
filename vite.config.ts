import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web UI lives in src/web and is served by the Fastify app from dist/web, so the
// same origin carries the session cookie and no CORS is needed.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Which files each page loads first: test/e2e/bundle-size.test.ts reads it to hold the payer's pages to their budget.
    manifest: true,
  },
  server: {
    // `npx vite` for UI work: the API comes from a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
