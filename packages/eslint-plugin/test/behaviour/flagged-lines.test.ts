/**
 * Ties the behaviour proofs to the rules: the code each program runs as "flagged" is exactly what the
 * plugin reports there, and the suggested forms next to it are not reported. Every expected report is
 * marked in the program's source at the end of its line:
 *   `// flagged: <rule>[, <rule>]`              the rule must report this line;
 *   `// known false positive: <rule> (...)`     the rule reports it although the code is right: kept
 *                                               visible here until the rule is fixed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';

const programs = fileURLToPath(new URL('programs/', import.meta.url));
const subjects = readdirSync(programs).filter((file) => file.endsWith('.mjs') && !['gc.mjs', 'http.mjs', 'report.mjs'].includes(file));

/** `file:line rule` for each marker in the program sources. */
function markedReports(marker: RegExp): string[] {
  const marked: string[] = [];
  for (const file of subjects) {
    readFileSync(`${programs}${file}`, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        const found = marker.exec(text);
        for (const rule of found?.[1]?.split(',') ?? []) marked.push(`${file}:${index + 1} ${rule.trim()}`);
      });
  }
  return marked.sort();
}

let reported: string[];

beforeAll(async () => {
  const eslint = new ESLint({
    cwd: programs,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.mjs'],
        // The programs carry directives for the workspace's own lint, whose rules are not on here.
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        plugins: { unthread: { rules } as unknown as ESLint.Plugin },
        rules: Object.fromEntries(Object.keys(rules).map((id) => [`unthread/${id}`, 'error'])),
      },
    ],
  });
  reported = (await eslint.lintFiles(subjects))
    .flatMap((result) =>
      result.messages.map((message) =>
        message.ruleId === null
          ? `${result.filePath}:${message.line} fatal: ${message.message}`
          : `${result.filePath.slice(programs.length)}:${message.line} ${message.ruleId.replace(/^unthread\//u, '')}`,
      ),
    )
    .sort();
});

describe('the behaviour programs, linted with every rule', () => {
  it('every program marks the code it proves wrong', () => {
    const flagged = new Set(markedReports(/\/\/ flagged: ([\w, -]+)$/u).map((entry) => entry.split(':')[0]));
    expect([...flagged].sort()).toEqual([...subjects].sort());
  });

  it('reports exactly the marked lines', () => {
    const expected = [
      ...markedReports(/\/\/ flagged: ([\w, -]+)$/u),
      ...markedReports(/\/\/ known false positive: ([\w-]+) \(/u),
    ].sort();
    expect(reported).toEqual(expected);
  });
});
