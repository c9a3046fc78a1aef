import type { TSESLint } from '@typescript-eslint/utils';
import type { UnthreadRule } from './rules/index.js';
import type { UnthreadSettings } from './utils/settings.js';

/** JavaScript in every module form, linted with ESLint's own parser (or the one the project sets). */
export const JAVASCRIPT_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];
/** TypeScript in every module form: linted when a TypeScript parser is installed. */
export const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

export type ConfigName = 'recommended' | 'strict' | 'recommended-type-checked';
export const CONFIG_NAMES: readonly ConfigName[] = ['recommended', 'strict', 'recommended-type-checked'];

/**
 * Which rules a config enables, read from each rule's `meta.docs`:
 * - `recommended`: rules marked `recommended` that need no type information;
 * - `strict`: those plus the rules marked `strict`;
 * - `recommended-type-checked`: every rule marked `recommended`, typed ones included, with the
 *   recogniser told to ask the type checker (`settings.unthread.useTypeInformation`).
 */
export function isRuleInConfig(rule: UnthreadRule, config: ConfigName): boolean {
  const docs = rule.meta.docs;
  if (!docs?.recommended) return false;
  const typed = docs.requiresTypeChecking === true;
  switch (config) {
    case 'recommended':
      return docs.recommended === 'recommended' && !typed;
    case 'strict':
      return !typed;
    case 'recommended-type-checked':
      return docs.recommended === 'recommended';
  }
}

/**
 * A flat config that registers the plugin under `unthread` and turns on the rules marked for it, for
 * JavaScript files and, when `typescriptParser` is given, TypeScript files read with it: ESLint lints
 * only `.js`/`.mjs`/`.cjs` unless a config names other files, and its own parser cannot read TypeScript.
 */
export function buildConfig(
  name: ConfigName,
  plugin: TSESLint.FlatConfig.Plugin & { rules: Record<string, UnthreadRule> },
  typescriptParser?: NonNullable<TSESLint.FlatConfig.LanguageOptions['parser']>,
): TSESLint.FlatConfig.Config {
  const enabled: TSESLint.FlatConfig.Rules = {};
  for (const [id, rule] of Object.entries(plugin.rules)) {
    if (isRuleInConfig(rule, name)) enabled[`unthread/${id}`] = 'error';
  }
  const settings: { unthread: UnthreadSettings } | undefined =
    name === 'recommended-type-checked' ? { unthread: { useTypeInformation: true } } : undefined;
  return {
    name: `unthread/${name}`,
    files: typescriptParser ? [...JAVASCRIPT_FILES, ...TYPESCRIPT_FILES] : JAVASCRIPT_FILES,
    ...(typescriptParser ? { languageOptions: { parser: typescriptParser } } : {}),
    plugins: { unthread: plugin },
    rules: enabled,
    ...(settings ? { settings } : {}),
  };
}
