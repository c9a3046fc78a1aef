// Type errors from a tsc run's output, and the errors one run has that another has not.
//
// Errors are compared by file, code and message, not by line: the migration moves lines, so a
// line number would make every error below an edit look new. Counts are kept per key (a multiset),
// so a second identical error in one file still counts as new.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// `src/a.ts(12,5): error TS2554: ...` (tsc without --pretty, as when not on a terminal) and
// `src/a.ts:12:5 - error TS2554: ...` (--pretty); `error TS5083: ...` has no location.
const LOCATED = /^(.+?)(?:\((\d+),\d+\):|:(\d+):\d+ -) error (TS\d+): (.*)$/;
const UNLOCATED = /^error (TS\d+): (.*)$/;

/** `[{ file, line, code, message }]` for every error tsc printed. */
export function parseTypeErrors(output) {
  const errors = [];
  for (const raw of output.replace(ANSI, '').split('\n')) {
    const line = raw.trim();
    const located = LOCATED.exec(line);
    if (located) {
      errors.push({ file: located[1], line: Number(located[2] ?? located[3]), code: located[4], message: located[5] });
      continue;
    }
    const unlocated = UNLOCATED.exec(line);
    if (unlocated) errors.push({ file: '', line: 0, code: unlocated[1], message: unlocated[2] });
  }
  return errors;
}

const keyOf = (error) => `${error.file}\u0000${error.code}\u0000${error.message}`;

/** The errors of `after` beyond those `before` already had (same file, code and message). */
export function newErrors(before, after) {
  const remaining = new Map();
  for (const error of before) remaining.set(keyOf(error), (remaining.get(keyOf(error)) ?? 0) + 1);
  return after.filter((error) => {
    const left = remaining.get(keyOf(error)) ?? 0;
    if (left === 0) return true;
    remaining.set(keyOf(error), left - 1);
    return false;
  });
}

/** `TS2554 ×3, TS2339 ×1`, most frequent first. */
export function codeHistogram(errors) {
  const counts = new Map();
  for (const error of errors) counts.set(error.code, (counts.get(error.code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => `${code} ×${n}`).join(', ');
}

/**
 * Predicted against actual errors, matched by file and code (their messages may come from two
 * TypeScript versions and their lines from two layouts): `{ matched, predictedOnly, actualOnly }`,
 * the last two as `file TScode` strings.
 */
export function compareErrors(predicted, actual) {
  const key = (e) => `${e.file} ${e.code}`;
  const left = new Map();
  for (const e of actual) left.set(key(e), (left.get(key(e)) ?? 0) + 1);
  let matched = 0;
  const predictedOnly = [];
  for (const e of predicted) {
    const n = left.get(key(e)) ?? 0;
    if (n > 0) {
      matched++;
      left.set(key(e), n - 1);
    } else {
      predictedOnly.push(key(e));
    }
  }
  const actualOnly = [...left].flatMap(([k, n]) => Array(n).fill(k));
  return { matched, predictedOnly, actualOnly };
}
