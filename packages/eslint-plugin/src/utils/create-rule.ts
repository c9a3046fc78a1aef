import * as ESLintUtils from '@typescript-eslint/utils/eslint-utils';

/**
 * What every rule declares in `meta.docs` beyond ESLint's own fields. The configs in `src/configs.ts`
 * are derived from these flags, so a rule joins a config by saying so here, never by a hand-kept list.
 */
export interface UnthreadRuleDocs {
  /** The lightest config that enables the rule; `strict` includes everything `recommended` has. */
  recommended?: 'recommended' | 'strict';
  /** The rule needs type information; it then belongs to `recommended-type-checked` only. */
  requiresTypeChecking?: boolean;
}

export const RULE_DOCS_BASE_URL = 'https://github.com/unthread/unthread/blob/main/packages/eslint-plugin/docs/rules/';

export function ruleDocsUrl(name: string): string {
  return `${RULE_DOCS_BASE_URL}${name}.md`;
}

const createNamedRule = ESLintUtils.RuleCreator<UnthreadRuleDocs>(ruleDocsUrl);

/**
 * ESLintUtils.RuleCreator, with the options a rule gets when configured without any (`'error'`, as
 * every config here does) merged once per rule instead of once per rule per file: its merge starts
 * with a structuredClone of the defaults, a cost all twelve rules paid on every file. The merged
 * defaults are frozen, as nothing may change options shared between files; options written in the
 * config are merged per file as before.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, UnthreadRuleDocs>>,
): ReturnType<typeof createNamedRule<Options, MessageIds>> {
  const created = createNamedRule(rule);
  const defaultOptions: Readonly<Options> = rule.meta.defaultOptions ?? rule.defaultOptions ?? ([] as unknown as Options);
  let mergedDefaults: Options | undefined;
  return {
    ...created,
    create(context) {
      if (context.options.length > 0) return created.create(context);
      mergedDefaults ??= deepFreeze(ESLintUtils.applyDefault<Options, Options>(defaultOptions, null));
      return rule.create(context, mergedDefaults);
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
