/**
 * The committed table of real-code findings in docs/real-code.md: each finding with a verdict a person
 * checked. The test compares it with a fresh lint run; `UPDATE_REAL_CODE=1` rewrites it, keeping every
 * verdict whose finding is still there and marking new findings `unchecked` (which the test rejects).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Finding } from './lint-real-code.js';

export const REAL_CODE_DOC = fileURLToPath(new URL('../../docs/real-code.md', import.meta.url));

const START = '<!-- findings:start (UPDATE_REAL_CODE=1 npx vitest run --project eslint-plugin test/real-code rewrites this table) -->';
const END = '<!-- findings:end -->';
const HEADER = '| Package | File:line | Rule | Verdict | Reason |\n| --- | --- | --- | --- | --- |';

export type Verdict = 'true finding' | 'false finding' | 'unchecked';

export interface Row {
  package: string;
  location: string;
  rule: string;
  verdict: string;
  reason: string;
}

export const rowKey = (row: Pick<Row, 'package' | 'location' | 'rule'>): string =>
  `${row.package} ${row.location} ${row.rule}`;

export const findingKey = (finding: Finding): string =>
  rowKey({ package: finding.package, location: `${finding.file}:${finding.line}`, rule: finding.rule });

export function readRows(): Row[] {
  const text = readFileSync(REAL_CODE_DOC, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${REAL_CODE_DOC}: the findings table markers are missing; restore ${START} and ${END}.`);
  return text
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Package') && !line.startsWith('| ---'))
    .map((line) => {
      const [pkg = '', location = '', rule = '', verdict = '', ...reason] = line.slice(2, -2).split(' | ');
      // The location is written as code; the reason may contain ` | ` escaped as `\|`, never bare.
      return { package: pkg, location: location.replace(/^`|`$/gu, ''), rule, verdict, reason: reason.join(' | ') };
    });
}

/** Rewrites the table for `findings`, keeping the verdicts of findings already checked. */
export function writeRows(findings: readonly Finding[]): void {
  const text = readFileSync(REAL_CODE_DOC, 'utf8');
  const previous = new Map<string, Row[]>();
  for (const row of readRows()) previous.set(rowKey(row), [...(previous.get(rowKey(row)) ?? []), row]);
  const rows = findings.map((finding) => {
    const known = previous.get(findingKey(finding))?.shift();
    return `| ${finding.package} | \`${finding.file}:${finding.line}\` | ${finding.rule} | ${known?.verdict ?? 'unchecked'} | ${known?.reason ?? finding.message.replaceAll('|', '\\|')} |`;
  });
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  writeFileSync(REAL_CODE_DOC, `${text.slice(0, start + START.length)}\n${HEADER}\n${rows.join('\n')}\n${text.slice(end)}`);
}
