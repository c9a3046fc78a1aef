/**
 * Every rule on the published JavaScript of real packages: nothing may crash, and what the rules find
 * must be exactly the checked table in docs/real-code.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findingKey, readRows, rowKey, writeRows } from './findings-table.js';
import { lintRealCode, REAL_PACKAGES, type RealCodeResult } from './lint-real-code.js';

let result: RealCodeResult;

beforeAll(async () => {
  result = await lintRealCode();
  if (process.env['UPDATE_REAL_CODE'] === '1') writeRows(result.findings);
});

describe('real code', () => {
  it('parses every file and no rule crashes', () => {
    expect(result.crashes).toEqual([]);
  });

  it('lints files of every package', () => {
    // A wrong folder or an over-broad ignore would lint nothing and find nothing, silently.
    for (const name of REAL_PACKAGES) expect(result.files[name] ?? 0, name).toBeGreaterThan(0);
  });

  it('finds exactly what docs/real-code.md lists', () => {
    expect(readRows().map(rowKey).sort()).toEqual(result.findings.map(findingKey).sort());
  });

  it('is right at least 9 times in 10', () => {
    const rows = readRows();
    const right = rows.filter((row) => row.verdict === 'true finding').length;
    expect(rows.length).toBeGreaterThan(0);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.9);
  });

  it('has a checked verdict and a reason for every finding', () => {
    for (const row of readRows()) {
      expect(['true finding', 'false finding'], rowKey(row)).toContain(row.verdict);
      expect(row.reason.length, rowKey(row)).toBeGreaterThan(10);
    }
  });
});
