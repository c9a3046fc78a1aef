// Passed and failed test counts from a test runner's own summary lines. Each runner prints its
// totals in its own words; a command that runs several suites (one per package) prints several
// summaries, which are added up.

const sum = (output, pattern) => [...output.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
const found = (output, pattern) => [...output.matchAll(pattern)].length > 0;

const parsers = {
  // Test Suites: 11 failed, 5 passed, 16 total / Tests:       2 failed, 1 skipped, 96 passed, 99 total
  // A suite that fails to compile runs none of its tests, so its failure shows only in the first.
  jest: (out) => found(out, /^Tests:.*total$/gm) && {
    passed: sum(out, /^Tests:.*?(\d+) passed/gm),
    failed: sum(out, /^Tests:.*?(\d+) failed/gm),
    suitesFailed: sum(out, /^Test Suites:.*?(\d+) failed/gm),
  },
  // 1049 passing (2m)  /  3 failing
  mocha: (out) => found(out, /^\s*\d+ passing/gm) && {
    passed: sum(out, /^\s*(\d+) passing/gm),
    failed: sum(out, /^\s*(\d+) failing/gm),
  },
  // 272 specs, 0 failures
  jasmine: (out) => found(out, /^\d+ specs?, \d+ failures?/gm) && {
    passed: sum(out, /^(\d+) specs?, \d+ failures?/gm) - sum(out, /^\d+ specs?, (\d+) failures?/gm),
    failed: sum(out, /^\d+ specs?, (\d+) failures?/gm),
  },
  //  Test Files  1 failed | 40 passed (41) /       Tests  2 failed | 1392 passed (1394)
  vitest: (out) => found(out, /^\s*Tests\s+.*\(\d+\)/gm) && {
    passed: sum(out, /^\s*Tests\s+.*?(\d+) passed/gm),
    failed: sum(out, /^\s*Tests\s+.*?(\d+) failed/gm),
    suitesFailed: sum(out, /^\s*Test Files\s+.*?(\d+) failed/gm),
  },
  // node --test (TAP reporter when not on a terminal): # pass 12 / # fail 1
  'node-test': (out) => found(out, /^# pass \d+/gm) && {
    passed: sum(out, /^# pass (\d+)/gm),
    failed: sum(out, /^# fail (\d+)/gm),
  },
};

export const testFormats = Object.keys(parsers);

/** `{ passed, failed }`, or `undefined` when the output holds no summary (the runner crashed). */
export function parseTestCounts(format, output) {
  const parse = parsers[format];
  if (!parse) throw new Error(`unknown test format "${format}"; known: ${testFormats.join(', ')}`);
  // eslint-disable-next-line no-control-regex
  return parse(output.replace(/\u001b\[[0-9;]*m/g, '')) || undefined;
}
