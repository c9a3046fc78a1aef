// Which files are test code, for rules whose findings mean nothing there: a test's mock server that
// keeps the last request it received is how the test asserts, not state shared by concurrent users.
// no-disable-in-request and no-shared-request-state share these defaults.
import { relative } from 'node:path';

export const DEFAULT_TEST_FILE_PATTERNS: readonly string[] = [
  // `app.test.ts`, `users.spec.js`, NestJS's `app.e2e-spec.ts`.
  String.raw`[.-](test|spec)\.[cm]?[jt]sx?$`,
  String.raw`(^|[\\/])(__tests__|__mocks__|test|tests|e2e)[\\/]`,
  // Test-runner setup files: `setupTests.ts`, `jest.setup.js`, `vitest.setup.ts`.
  String.raw`(^|[\\/])(setupTests|(jest|vitest)\.setup)\.[cm]?[jt]sx?$`,
];

// Compiled once per process, not per file (no `g` flag, so a shared RegExp keeps no state).
const compiled = new Map<string, RegExp>();

/**
 * The file matches one of `patterns`, tested against its path relative to the working directory (so
 * a checkout under some `test/` folder is not all test code).
 */
export function isTestFile(context: { cwd: string; physicalFilename: string }, patterns: readonly string[]): boolean {
  const filename = relative(context.cwd, context.physicalFilename);
  return patterns.some((pattern) => {
    let regexp = compiled.get(pattern);
    if (!regexp) {
      regexp = new RegExp(pattern, 'u');
      compiled.set(pattern, regexp);
    }
    return regexp.test(filename);
  });
}
