// The parser the configs give their files when the project has TypeScript's: `.ts`/`.tsx`/`.mts`/`.cts`
// files go to `@typescript-eslint/parser` (or the one the `typescript-eslint` package bundles), every
// other file to espree, ESLint's own parser, exactly as if no parser were set. Both are found from the
// project being linted (the working directory ESLint runs in), never from this package's dependencies:
// the parser is the one the project installed, or none. Nothing is loaded until a file needs it: the
// TypeScript parser brings TypeScript itself, over a second of a lint run that may hold no TypeScript.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';

type Parser = NonNullable<TSESLint.FlatConfig.LanguageOptions['parser']>;
interface ParseForESLint {
  parseForESLint(code: string, options: Record<string, unknown>): unknown;
}
interface Parse {
  parse(code: string, options: Record<string, unknown>): unknown;
}

const TYPESCRIPT_FILE = /\.(?:ts|tsx|mts|cts)$/u;

/** The module that exports the TypeScript parser, resolved (not loaded) from the project. */
function resolveTypeScriptParser(require: NodeJS.Require): (() => ParseForESLint) | undefined {
  for (const [specifier, pick] of [
    ['@typescript-eslint/parser', (module: Record<string, unknown>) => module],
    ['typescript-eslint', (module: Record<string, unknown>) => module['parser']],
  ] as const) {
    try {
      const resolved = require.resolve(specifier);
      return () => pick(require(resolved) as Record<string, unknown>) as ParseForESLint;
    } catch {
      // Not installed in this project: try the next.
    }
  }
  return undefined;
}

/** ESLint's own parser, from the ESLint the project runs; undefined if it cannot be found. */
function resolveEspree(require: NodeJS.Require): (() => Parse) | undefined {
  try {
    const fromEslint = createRequire(require.resolve('eslint'));
    const resolved = fromEslint.resolve('espree');
    return () => fromEslint(resolved) as Parse;
  } catch {
    return undefined;
  }
}

/**
 * A parser for JavaScript and TypeScript files alike, or undefined when the project has no TypeScript
 * parser (the configs then lint JavaScript only, with ESLint's own parser).
 */
export function findTypeScriptParser(): Parser | undefined {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const loadTypeScript = resolveTypeScriptParser(require);
  if (!loadTypeScript) return undefined;
  const loadEspree = resolveEspree(require);
  let typescript: ParseForESLint | undefined;
  let espree: Parse | undefined;
  const parser = {
    meta: { name: '@unthread/eslint-plugin/parser', version: '1' },
    parseForESLint(code: string, options: Record<string, unknown>): unknown {
      const filePath = typeof options['filePath'] === 'string' ? options['filePath'] : '';
      if (TYPESCRIPT_FILE.test(filePath) || !loadEspree) return (typescript ??= loadTypeScript()).parseForESLint(code, options);
      // What ESLint does with espree itself: the AST only; ESLint builds the scopes.
      return { ast: (espree ??= loadEspree()).parse(code, options) };
    },
  };
  return parser as unknown as Parser;
}
