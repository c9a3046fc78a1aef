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

// The answer for the file being linted: two rules ask for every file, and each question costs a
// path.relative (which resolves both paths) and a regular expression per pattern. Only the last file
// is kept, as ESLint lints one file after the other; the answer is kept per pattern list, as each
// rule may be configured with its own.
let lastFile: { cwd: string; physicalFilename: string; filename: string; answers: Map<readonly string[], boolean> } | undefined;

/**
 * The file matches one of `patterns`, tested against its path relative to the working directory (so
 * a checkout under some `test/` folder is not all test code).
 */
export function isTestFile(context: { cwd: string; physicalFilename: string }, patterns: readonly string[]): boolean {
  const { cwd, physicalFilename } = context;
  if (lastFile?.cwd !== cwd || lastFile.physicalFilename !== physicalFilename) {
    lastFile = { cwd, physicalFilename, filename: relative(cwd, physicalFilename), answers: new Map() };
  }
  let answer = lastFile.answers.get(patterns);
  if (answer === undefined) {
    answer = matchesAny(lastFile.filename, patterns);
    lastFile.answers.set(patterns, answer);
  }
  return answer;
}

function matchesAny(filename: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    let regexp = compiled.get(pattern);
    if (!regexp) {
      regexp = new RegExp(pattern, 'u');
      compiled.set(pattern, regexp);
    }
    return regexp.test(filename);
  });
}
