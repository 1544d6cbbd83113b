import { defineConfig } from 'vitest/config';

// Unit tests are fast and pure; integration and e2e tests start real servers, captures and browsers,
// so they run one file at a time (they share network namespaces names, ports and the 2 CPU cores).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Browser tests poll the page; on a loaded 2-core machine 1 s (vitest's default) is too short.
          expect: { poll: { timeout: 15_000 } },
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
