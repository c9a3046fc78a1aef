// `node bench/eslint/request-state.js DIR...`: lints each checkout with no-shared-request-state alone,
// through the built plugin (run `tsc -b` first), and prints every finding with its message, for a person
// to judge; bench/results/eslint-request-state.md holds those verdicts. TypeScript through
// typescript-eslint's parser without a program (the rule's `recommended` mode), JavaScript as the
// package's `type` says; declaration files, dependencies and build output are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '@unthread/eslint-plugin';

const RULE = 'no-shared-request-state';
const folders = process.argv.slice(2).map((folder) => resolve(folder));
if (folders.length === 0) {
  process.stderr.write('usage: node bench/eslint/request-state.js DIR...\n');
  process.exit(2);
}

function sourceTypeOf(folder) {
  const file = join(folder, 'package.json');
  const type = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).type : undefined;
  return type === 'module' ? 'module' : 'commonjs';
}

let total = 0;
for (const folder of folders) {
  const eslint = new ESLint({
    cwd: folder,
    overrideConfigFile: true,
    // The code's own eslint-disable comments must not hide findings.
    allowInlineConfig: false,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/public/**', '**/*.min.js', '**/*.d.ts'] },
      {
        files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.ts', '**/*.mts', '**/*.cts'],
        plugins: { unthread: plugin },
        languageOptions: { ecmaVersion: 'latest', sourceType: sourceTypeOf(folder) },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: { [`unthread/${RULE}`]: 'error' },
      },
      { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser, sourceType: 'module' } },
    ],
  });
  const results = await eslint.lintFiles(['.']);
  const findings = results.flatMap((result) =>
    result.messages
      .filter((message) => message.ruleId === `unthread/${RULE}`)
      .map((message) => `- \`${relative(folder, result.filePath)}:${message.line}\`: ${message.message}`),
  );
  const unparsed = results.filter((result) => result.messages.some((message) => message.fatal)).length;
  total += findings.length;
  process.stdout.write(`## ${folder}\n\n${results.length} files (${unparsed} not parsed), ${findings.length} findings\n\n${findings.join('\n')}\n\n`);
}
process.stdout.write(`${total} findings in all\n`);
