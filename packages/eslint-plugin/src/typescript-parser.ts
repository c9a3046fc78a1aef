// The TypeScript parser that `recommended` lints .ts/.tsx/.mts/.cts files with, when the project has
// one: `@typescript-eslint/parser`, or the `typescript-eslint` package that bundles it. Looked up from
// the project being linted first (the working directory ESLint runs in), then from this package, so
// the parser the project installed is the one used. Without one, the configs lint JavaScript only, as
// ESLint's own parser cannot read TypeScript syntax; the README says what to install.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';

type Parser = NonNullable<TSESLint.FlatConfig.LanguageOptions['parser']>;

function loadFrom(base: string): Parser | undefined {
  const require = createRequire(base);
  for (const [specifier, pick] of [
    ['@typescript-eslint/parser', (module: Record<string, unknown>) => module],
    ['typescript-eslint', (module: Record<string, unknown>) => module['parser']],
  ] as const) {
    try {
      const parser = pick(require(specifier) as Record<string, unknown>) as Parser | undefined;
      if (parser && typeof (parser as { parseForESLint?: unknown }).parseForESLint === 'function') return parser;
    } catch {
      // Not installed where this base looks: try the next.
    }
  }
  return undefined;
}

/** The project's TypeScript parser, or undefined when none is installed. */
export function findTypeScriptParser(): Parser | undefined {
  return loadFrom(path.join(process.cwd(), 'package.json'));
}
