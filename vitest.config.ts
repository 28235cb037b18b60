import { defineConfig } from 'vitest/config';
import { DASHBOARD_MODULE, dashboardDocument } from './scripts/dashboardDocument.mjs';

export default defineConfig({
  // The dashboard page is built from dashboard/ when a test first imports it, as esbuild builds it for the app.
  plugins: [
    {
      name: 'dashboard-document',
      resolveId: (id: string) => (id === DASHBOARD_MODULE ? `\0${DASHBOARD_MODULE}` : null),
      load: async (id: string) => (id === `\0${DASHBOARD_MODULE}` ? `export default ${JSON.stringify(await dashboardDocument())};` : null),
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and CLI process tests are slower than unit tests; none should take this long.
    testTimeout: 30_000,
  },
});
