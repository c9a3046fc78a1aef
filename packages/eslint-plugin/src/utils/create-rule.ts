import { ESLintUtils } from '@typescript-eslint/utils';

/**
 * What every rule declares in `meta.docs` beyond ESLint's own fields. The configs in `src/index.ts`
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

export const createRule = ESLintUtils.RuleCreator<UnthreadRuleDocs>(ruleDocsUrl);
