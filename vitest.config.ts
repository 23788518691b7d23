import { defineConfig } from 'vitest/config';

// Two projects: `unit` is the pure engine and needs nothing; `e2e` runs against one real Temporal
// dev server that test/support/global-setup.ts starts for the whole run (and always stops).
export default defineConfig({
  test: {
    // Temporal's native bridge is not safe under worker threads (sdk-typescript#876); forks it is.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
