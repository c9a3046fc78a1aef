// The alias a file's own imports use, on a real project on disk: `paths` declares `@/*`, package.json
// `imports` declares `#src/*`; a package linked into node_modules resolves into the same folder but
// names nothing there the context module could be imported by.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { AliasSpecifiers } from './path-alias.js';

const tmpRoot = path.resolve(import.meta.dirname, '../../.tmp');
mkdirSync(tmpRoot, { recursive: true });
const root = mkdtempSync(path.join(tmpRoot, 'alias-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true, types: [], paths: { '@/*': ['./src/*'] } },
    include: ['src'],
  }),
  'src/lib/util.ts': 'export const util = 1;\n',
  'src/lib/more.ts': 'export const more = 2;\n',
  'src/deep/a/aliased.ts': "import { util } from '@/lib/util';\nimport { more } from '@/lib/more';\nimport { b } from '../b/b';\nexport const a = util + more + b;\n",
  'src/deep/a/climbing.ts': "import { util } from '@/lib/util';\nimport { more } from '../../lib/more';\nimport { b } from '../b/b';\nexport const a = util + more + b;\n",
  'src/deep/b/b.ts': 'export const b = 3;\n',
  'package.json': JSON.stringify({ name: 'alias-test', private: true, type: 'module', imports: { '#src/*': './src/*' } }),
  'src/deep/a/imports-field.ts': "import { util } from '#src/lib/util.js';\nexport const a = util;\n",
  'src/deep/a/linked.ts': "import { util } from '@scope/lib/util';\nexport const a = util;\n",
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
  writeFileSync(path.join(root, name), text);
}
mkdirSync(path.join(root, 'node_modules/@scope'), { recursive: true });
symlinkSync(path.join(root, 'src'), path.join(root, 'node_modules/@scope/lib'), 'dir');

function specifierIn(name: string, contextFile = path.join(root, 'src/context.ts')): string | undefined {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const sf = program.getSourceFile(path.join(root, name))!;
  const specifiers = sf.statements.flatMap((s) => (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier] : []));
  return new AliasSpecifiers(program, root).specifierFor(sf, specifiers, contextFile);
}

describe('AliasSpecifiers', () => {
  it('names the context module through the alias a file uses, even before the module exists', () => {
    expect(specifierIn('src/deep/a/aliased.ts')).toBe('@/context');
  });

  it('keeps a file that climbs with ../ more often than it uses the alias relative', () => {
    expect(specifierIn('src/deep/a/climbing.ts')).toBeUndefined();
  });

  it('names it through package.json imports too, with the extension the file writes', () => {
    expect(specifierIn('src/deep/a/imports-field.ts')).toBe('#src/context.js');
  });

  it("does not take a linked package's subpath for an alias: nothing there names the context module", () => {
    expect(specifierIn('src/deep/a/linked.ts')).toBeUndefined();
  });

  it('gives no alias for a context module outside the aliased folder', () => {
    expect(specifierIn('src/deep/a/aliased.ts', path.join(root, 'context.ts'))).toBeUndefined();
  });
});
