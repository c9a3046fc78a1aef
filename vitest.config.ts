import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'context',
          root: 'packages/context',
          include: ['src/**/*.test.ts'],
          // The load tests start real servers; give them room on a 2-core machine.
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
