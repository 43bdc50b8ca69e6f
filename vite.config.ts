import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * What a payer's page shares with the staff screens (Mantine's core and the few components
 * the payer's forms use, money and date formatting, the API client): one chunk. Left to
 * itself the bundler cuts these into a dozen small chunks by which lazy staff screens also
 * use them, and each small file gzips worse. Payer-only code stays in the PayApp chunk;
 * test/e2e/bundle-size.test.ts holds the first loads.
 */
const SHARED_WITH_PAYER = new RegExp(
  [
    String.raw`@mantine[\/]core[\/]esm[\/](core|utils)[\/]`,
    String.raw`@mantine[\/]core[\/]esm[\/]components[\/](Alert|Button|Center|Checkbox|CloseButton|Container|FloatingIndicator|Group|Input|InputBase|Loader|Paper|SegmentedControl|Stack|Text|TextInput|Title|Transition|UnstyledButton)[\/]`,
    String.raw`src[\/]domain[\/](money|types|surcharge)\.ts$`,
    String.raw`src[\/]web[\/]api[\/]`,
    String.raw`src[\/]web[\/]common[\/](amount|errors|format|paymentMethod|PaymentMethodFields|States)\.tsx?$`,
  ].join('|'),
);

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
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'shared', test: SHARED_WITH_PAYER }] } } },
  },
  server: {
    // `npx vite` for UI work: the API comes from a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
