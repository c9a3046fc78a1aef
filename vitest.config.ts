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
      {
        test: {
          name: 'codemod',
          root: 'packages/codemod',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // Fixture cases load real ts-morph projects and type-check them.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'eslint-plugin',
          root: 'packages/eslint-plugin',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root: 'test',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', 'node24/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
