// Compiler options with every value the repository's TypeScript would infer written out. The analysis
// program runs on ts-morph's TypeScript, whose defaults can differ from the repository's (6.0 is strict
// and resolves `module: commonjs` like a bundler; 5.x is not strict and resolves like Node 10, and
// loads every `@types` package): written out, both read the same options the same way, so a parameter's
// type (is `undefined` allowed?) and an import's resolution are the repository's.
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript.js';

interface ComputedOption {
  computeValue: (options: ts.CompilerOptions) => unknown;
}

export function explicitOptions(api: TypeScriptApi, options: ts.CompilerOptions, host: ts.ModuleResolutionHost): ts.CompilerOptions {
  const result: ts.CompilerOptions = { ...options };
  // TypeScript's table of options whose value is derived from others (target from module, strict
  // flags from `strict`...): public at runtime since 5.x, not in its declarations.
  const computed = (api as unknown as { computedOptions?: Record<string, ComputedOption> }).computedOptions ?? {};
  for (const [name, option] of Object.entries(computed)) {
    if (result[name] === undefined) result[name] = option.computeValue(options) as ts.CompilerOptionsValue;
  }
  // Without `types`, a program loads the global types its TypeScript chooses (5.x: every @types
  // package; 6.0: none): name them.
  if (options.types === undefined) result.types = api.getAutomaticTypeDirectiveNames(options, host);
  return result;
}
