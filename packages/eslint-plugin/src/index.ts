import { readFileSync } from 'node:fs';
import type { TSESLint } from '@typescript-eslint/utils';
import { buildConfig, CONFIG_NAMES, type ConfigName } from './configs.js';
import { rules, type UnthreadRule } from './rules/index.js';
import { findTypeScriptParser } from './typescript-parser.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace: 'unthread' },
  rules: rules as Record<keyof typeof rules, UnthreadRule>,
  configs: {} as Record<ConfigName, TSESLint.FlatConfig.Config>,
};

// Configs refer to the plugin object itself, so they are filled in once it exists.
const typescriptParser = findTypeScriptParser();
for (const name of CONFIG_NAMES) plugin.configs[name] = buildConfig(name, plugin, typescriptParser);

export default plugin;
// `require('@unthread/eslint-plugin')` from an eslint.config.cjs (Node >= 20.19 loads ES modules with
// require) returns the plugin itself rather than a namespace holding it as `default`.
export { plugin as 'module.exports' };
