import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests beside their source, and the integration suite
// under test/ run twice, once on embedded PGlite and once on real PostgreSQL.
const integration = ['test/**/*.test.ts'];
const e2e = ['test/e2e/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: integration,
          // The bench's smoke test runs on PostgreSQL only: it makes its own database there.
          exclude: [...e2e, 'test/bench/**'],
          env: { PAYBRIDGE_TEST_ENGINE: 'pglite' },
          globalSetup: ['test/support/global-setup-pglite.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: integration,
          exclude: e2e,
          env: { PAYBRIDGE_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/global-setup-postgres.ts'],
        },
      },
    ],
  },
});
