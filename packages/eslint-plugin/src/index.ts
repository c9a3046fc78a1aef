import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';
import { buildConfig, CONFIG_NAMES, type ConfigName } from './configs.js';
import { rules, type UnthreadRule } from './rules/index.js';
import { findTypeScriptParser } from './typescript-parser.js';

// Compiled to CommonJS (dist/index.js), so no import.meta; dist/ and src/ sit at the same depth.
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
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
