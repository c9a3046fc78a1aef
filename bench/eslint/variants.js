// The ESLint configurations compared: typescript-eslint's `recommended` alone (the baseline), and the
// same with @unthread/eslint-plugin's `recommended` or `strict` added. All syntactic (no type
// information), as those three configs are.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export const variants = {
  base: 'typescript-eslint `recommended`',
  recommended: 'typescript-eslint `recommended` + @unthread `recommended`',
  strict: 'typescript-eslint `recommended` + @unthread `strict`',
};

/** Why the plugin's configs cannot be measured yet, or undefined when both exist. */
export async function pluginUnavailable() {
  let plugin;
  try {
    plugin = (await import('@unthread/eslint-plugin')).default;
  } catch (error) {
    return `@unthread/eslint-plugin does not load: ${error.message.split('\n')[0]}`;
  }
  const missing = ['recommended', 'strict'].filter((name) => !plugin?.configs?.[name]);
  if (missing.length > 0) return `@unthread/eslint-plugin's default export has no \`configs.${missing.join('`/`configs.')}\` yet`;
  const rules = Object.keys(plugin.rules ?? {});
  if (rules.length === 0) return '@unthread/eslint-plugin has no rules yet';
  return undefined;
}

export async function configFor(variant) {
  const extended = [tseslint.configs.recommended];
  if (variant !== 'base') {
    const plugin = (await import('@unthread/eslint-plugin')).default;
    extended.push(plugin.configs[variant]);
  }
  return defineConfig({ files: ['**/*.ts'], extends: extended });
}
