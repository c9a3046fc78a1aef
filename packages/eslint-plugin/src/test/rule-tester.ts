// One configured RuleTester per parsing mode, wired to vitest. Rule suites import from here so every
// suite runs the same parser and the same test framework hooks.
import { fileURLToPath } from 'node:url';
import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { afterAll, describe, it } from 'vitest';
import type { UnthreadRuleDocs } from '../utils/create-rule.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.describeSkip = describe.skip;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.itSkip = it.skip;

/** A real tsconfig with `file.ts` and `file.js`: typed cases are linted as those files. */
export const typedFixtureDir = fileURLToPath(new URL('../../test/fixture', import.meta.url));

/**
 * RuleTester with the rule typed as our rules are. @typescript-eslint/rule-tester's latest release is
 * one patch behind @typescript-eslint/utils and brings its own copy, whose scope classes TypeScript
 * treats as different types (private members); the rule objects are the same at runtime.
 */
export interface UnthreadRuleTester {
  run<MessageId extends string, Options extends readonly unknown[]>(
    name: string,
    rule: TSESLint.RuleModule<MessageId, Options, UnthreadRuleDocs>,
    tests: RunTests<MessageId, Options>,
  ): void;
}

function wrap(tester: RuleTester): UnthreadRuleTester {
  return {
    run(name, rule, tests) {
      tester.run(name, rule as unknown as Parameters<RuleTester['run']>[1], tests);
    },
  };
}

/** TypeScript and JavaScript (`filename: 'file.js'`), ES modules, no type information. */
export function createRuleTester(): UnthreadRuleTester {
  return wrap(new RuleTester({
    languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  }));
}

/** CommonJS scripts: `require`, `module.exports`, no `import`. */
export function createCommonJsRuleTester(): UnthreadRuleTester {
  return wrap(new RuleTester({
    languageOptions: { sourceType: 'commonjs', parserOptions: { ecmaVersion: 'latest' } },
  }));
}

/**
 * With a type checker over test/fixture/tsconfig.json, and the setting the `recommended-type-checked`
 * config turns on, so rules recognise instances through their types.
 */
export function createTypedRuleTester(): UnthreadRuleTester {
  return wrap(new RuleTester({
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: typedFixtureDir },
    },
    settings: { unthread: { useTypeInformation: true } },
  }));
}

/** The file name that makes the parser read a case as JavaScript. */
export const JS_FILE = 'file.js';
