import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and CLI process tests are slower than unit tests; none should take this long.
    testTimeout: 30_000,
  },
});
