import { defineConfig } from 'vitest/config';

// The real-world corpus (test/real-world/): its files are gathered locally, not committed (see
// test/fixtures/real-world/README.md), so it is its own run: `npm run test:real-world`.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/real-world/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
