/**
 * Lints the published JavaScript of real packages that use (or sit next to) AsyncLocalStorage with
 * every rule of the plugin on, through ESLint's own class API: the same path a user's `eslint` takes.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { rules } from '../../src/rules/index.js';

/** The devDependencies whose published code is linted. */
export const REAL_PACKAGES = [
  'nestjs-cls',
  'cls-rtracer',
  '@fastify/request-context',
  'express-http-context',
  '@opentelemetry/context-async-hooks',
  'express',
  'fastify',
  'pino',
  '@mikro-orm/core',
  'hono',
  'unctx',
] as const;

/** Published, but not the package's runtime code: tests, benchmarks, examples and build scripts. */
export const IGNORED_FOLDERS = ['test', 'tests', '__tests__', 'benchmarks', 'bench', 'examples', 'docs', 'scripts', 'integration'];

export interface Finding {
  package: string;
  /** Relative to the package folder. */
  file: string;
  line: number;
  rule: string;
  message: string;
}

export interface RealCodeResult {
  findings: Finding[];
  /** Parse errors and rule crashes: each one is a bug to fix. */
  crashes: string[];
  /** How many files of each package were linted. */
  files: Record<string, number>;
  /** Rules left out because they need type information, which published JavaScript has none of. */
  skippedRules: string[];
}

const pluginRoot = fileURLToPath(new URL('../../', import.meta.url));

export function resolvePackageFolder(name: string): string {
  return realpathSync(join(pluginRoot, 'node_modules', name));
}

function ruleIds(): { enabled: string[]; skipped: string[] } {
  const enabled: string[] = [];
  const skipped: string[] = [];
  for (const [id, rule] of Object.entries(rules)) {
    (rule.meta.docs?.requiresTypeChecking === true ? skipped : enabled).push(id);
  }
  return { enabled: enabled.sort(), skipped: skipped.sort() };
}

function configFor(folder: string, enabled: readonly string[]): Linter.Config[] {
  const { type } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { type?: string };
  return [
    { ignores: IGNORED_FOLDERS.map((name) => `**/${name}/**`) },
    {
      files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
      plugins: { unthread: { rules } as unknown as ESLint.Plugin },
      languageOptions: { ecmaVersion: 'latest', sourceType: type === 'module' ? 'module' : 'commonjs' },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: Object.fromEntries(enabled.map((id) => [`unthread/${id}`, 'error'])),
    },
    { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  ];
}

export async function lintRealCode(): Promise<RealCodeResult> {
  const { enabled, skipped } = ruleIds();
  const result: RealCodeResult = { findings: [], crashes: [], files: {}, skippedRules: skipped };
  for (const name of REAL_PACKAGES) {
    const folder = resolvePackageFolder(name);
    const all = await lintPackage(folder, enabled);
    if (!(all instanceof Error)) {
      collect(result, name, folder, all);
      continue;
    }
    // A rule that throws aborts the whole package: lint once per rule, so the others still report
    // and the crash is pinned to its rule. ESLint's message names the file and line.
    for (const id of enabled) {
      const one = await lintPackage(folder, [id]);
      if (one instanceof Error) result.crashes.push(`${name}: ${one.message.replaceAll('\n', ' ')}`);
      else collect(result, name, folder, one, id === enabled[0]);
    }
  }
  result.findings.sort(
    (a, b) =>
      a.package.localeCompare(b.package) || a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule),
  );
  return result;
}

async function lintPackage(folder: string, enabled: readonly string[]): Promise<ESLint.LintResult[] | Error> {
  const eslint = new ESLint({
    cwd: folder,
    overrideConfigFile: true,
    overrideConfig: configFor(folder, enabled),
    // The packages' own eslint-disable comments must not hide what our rules find.
    allowInlineConfig: false,
    errorOnUnmatchedPattern: false,
  });
  try {
    return await eslint.lintFiles(['.']);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function collect(
  result: RealCodeResult,
  name: string,
  folder: string,
  results: readonly ESLint.LintResult[],
  countFiles = true,
): void {
  for (const fileResult of results) {
    if (countFiles) result.files[name] = (result.files[name] ?? 0) + 1;
    const file = fileResult.filePath.slice(folder.length + 1);
    for (const message of fileResult.messages) {
      if (message.fatal === true || message.ruleId === null) {
        result.crashes.push(`${name}/${file}:${message.line}: ${message.message}`);
        continue;
      }
      result.findings.push({
        package: name,
        file,
        line: message.line,
        rule: message.ruleId.replace(/^unthread\//u, ''),
        message: message.message,
      });
    }
  }
}
