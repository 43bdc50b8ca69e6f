import { defineConfig } from 'vitest/config';

// Four projects: pure unit tests beside their source, the integration suite under test/
// run twice (once on embedded PGlite, once on real PostgreSQL), and the browser
// end-to-end specs under test/e2e, which drive Debian's chromium against the built UI.
const integration = ['test/**/*.test.ts'];
const e2e = ['test/e2e/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time: the integration files mostly wait on a database, so two keep both
    // cores busy (Vitest's default on two cores is one, which left the run near 30 minutes).
    maxWorkers: 2,
    // The integration and browser suites share one module graph per worker (no isolation
    // between files): each file builds its own app, database and browser, and nothing in
    // them mocks a module or keeps state at module level, while importing the server afresh
    // for every file cost about a third of the run. The unit tests, which spy and mock,
    // keep their isolation.
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: integration,
          isolate: false,
          // The bench's smoke test runs on PostgreSQL only: it makes its own database there.
          // So do the tests of several server processes on one database, and of PostgreSQL
          // restarting: PGlite is one process's database, and has no server to restart. The
          // procedure sink's tests are about the MMS's own PostgreSQL database, whatever the
          // server's engine: they run once, with the server on PostgreSQL too.
          exclude: [
            ...e2e,
            'test/bench/**',
            'test/api/instances.test.ts',
            'test/api/postgres-restart.test.ts',
            'test/agent/postgres-mms.test.ts',
          ],
          env: { PAYBRIDGE_TEST_ENGINE: 'pglite' },
          globalSetup: ['test/support/global-setup-pglite.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: integration,
          isolate: false,
          exclude: e2e,
          env: { PAYBRIDGE_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/global-setup-postgres.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          isolate: false,
          env: { PAYBRIDGE_TEST_ENGINE: 'pglite' },
          globalSetup: ['test/support/global-setup-pglite.ts', 'test/e2e/support/global-setup-build.ts'],
          testTimeout: 60_000,
          // One browser per file, two files at a time, and after the other projects (a group
          // of its own) so the browsers do not compete with the database suites for the CPU.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
