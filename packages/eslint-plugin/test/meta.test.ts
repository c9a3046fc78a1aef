// The plumbing around the rules: every rule is registered, documented and tested; its docs URL is the
// doc on disk; every config holds exactly the rules its flags mark; the plugin's meta is the package's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { CONFIG_NAMES } from '../src/configs.js';

const packageRoot = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, packageRoot), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { name: string; version: string };
const ruleEntries = Object.entries(plugin.rules);
const ruleIds = ruleEntries.map(([id]) => id);

describe('plugin meta', () => {
  it('carries the package name and version and the `unthread` namespace', () => {
    expect(plugin.meta).toEqual({ name: '@unthread/eslint-plugin', version: packageJson.version, namespace: 'unthread' });
    expect(plugin.meta.name).toBe(packageJson.name);
  });

  it('registers every rule file in src/rules, under its file name', () => {
    const files = readdirSync(new URL('src/rules/', packageRoot))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'index.ts')
      .map((file) => file.slice(0, -'.ts'.length));
    expect(ruleIds.toSorted()).toEqual(files.toSorted());
    for (const [id, rule] of ruleEntries) expect((rule as { name?: string }).name).toBe(id);
  });

  it('keeps the registry sorted by rule id', () => {
    expect(ruleIds).toEqual(ruleIds.toSorted());
  });
});

describe.each(ruleEntries)('rule %s', (id, rule) => {
  const docPath = `docs/rules/${id}.md`;

  it('has a doc whose URL is the doc on disk', () => {
    expect(existsSync(new URL(docPath, packageRoot)), `${docPath} is missing`).toBe(true);
    expect(rule.meta.docs?.url).toBe(`https://github.com/unthread/unthread/blob/main/packages/eslint-plugin/${docPath}`);
  });

  it('has a RuleTester suite', () => {
    const candidates = [`src/rules/${id}.test.ts`, `test/rules/${id}.test.ts`];
    const found = candidates.filter((path) => existsSync(new URL(path, packageRoot)));
    expect(found, `none of ${candidates.join(', ')} exists`).not.toEqual([]);
    const suite = read(found[0]!);
    expect(suite).toContain('invalid:');
    expect(suite).toMatch(/\bline\b/); // invalid cases assert where they report
  });

  it('documents incorrect and correct code, the Node behaviour behind it, and when not to use it', () => {
    const doc = read(docPath);
    expect(doc).toMatch(/^## Incorrect$/m);
    expect(doc).toMatch(/^## Correct$/m);
    expect(doc).toMatch(/^## When not to use it$/m);
    expect(doc).toMatch(/Node 2[0246]/);
  });

  it('describes every option in its schema and allows no others', () => {
    const schema = Array.isArray(rule.meta.schema) ? rule.meta.schema : [];
    for (const option of schema as { type?: string; additionalProperties?: boolean; properties?: Record<string, { description?: string }> }[]) {
      if (option.type !== 'object') continue;
      expect(option.additionalProperties).toBe(false);
      for (const [name, property] of Object.entries(option.properties ?? {})) {
        expect(property.description, `option ${name}`).toMatch(/\S/);
      }
    }
  });

  it('offers suggestions only if it says so, and marks its config', () => {
    expect(['recommended', 'strict', undefined]).toContain(rule.meta.docs?.recommended);
    const source = read(`src/rules/${id}.ts`);
    expect(source.includes('suggest:')).toBe(rule.meta.hasSuggestions === true);
  });
});

describe('configs', () => {
  const flag = (id: string) => plugin.rules[id as keyof typeof plugin.rules].meta.docs;
  const expected = {
    recommended: ruleIds.filter((id) => flag(id)?.recommended === 'recommended' && flag(id)?.requiresTypeChecking !== true),
    strict: ruleIds.filter((id) => flag(id)?.recommended !== undefined && flag(id)?.requiresTypeChecking !== true),
    'recommended-type-checked': ruleIds.filter((id) => flag(id)?.recommended === 'recommended'),
  };

  it.each(CONFIG_NAMES)('%s holds exactly the rules marked for it, as errors', (name) => {
    const config = plugin.configs[name];
    expect(config.name).toBe(`unthread/${name}`);
    expect(config.plugins?.['unthread']).toBe(plugin);
    expect(Object.keys(config.rules ?? {}).toSorted()).toEqual(expected[name].map((id) => `unthread/${id}`).toSorted());
    for (const severity of Object.values(config.rules ?? {})) expect(severity).toBe('error');
  });

  it('puts the real-bug rules in recommended and the stricter ones only in strict', () => {
    const recommended = Object.keys(plugin.configs.recommended.rules ?? {});
    const strict = Object.keys(plugin.configs.strict.rules ?? {});
    expect(recommended).toContain('unthread/no-unsafe-enter-with');
    expect(recommended).toContain('unthread/no-storage-per-call');
    expect(recommended).not.toContain('unthread/no-large-store');
    expect(strict).toContain('unthread/no-large-store');
    expect(strict.length).toBeGreaterThan(recommended.length);
  });

  it('turns on type information only in recommended-type-checked', () => {
    expect(plugin.configs['recommended-type-checked'].settings).toEqual({ unthread: { useTypeInformation: true } });
    expect(plugin.configs.recommended.settings).toBeUndefined();
    expect(plugin.configs.strict.settings).toBeUndefined();
  });
});
