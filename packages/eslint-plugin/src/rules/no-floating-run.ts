import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { containsOutsideFunctions, getEnclosingFunction, isFunctionNode } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext } from '../utils/async-context.js';
import { getTypeServices } from '../utils/type-services.js';

export type Options = [];
export type MessageId = 'floating' | 'addAwait' | 'addReturn';

export default createRule<Options, MessageId>({
  name: 'no-floating-run',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    fixable: 'code',
    docs: {
      description: 'Require the promise of `run(store, async fn)` to be awaited, returned or handled',
      recommended: 'recommended',
    },
    schema: [],
    messages: {
      floating:
        '`{{ call }}` with an async callback returns its promise at once; nobody awaits it, so a rejection becomes an `unhandledRejection` and the caller goes on before the work ends. Await it, return it, or add `.catch()`.',
      addAwait: 'Await the `run()` promise.',
      addReturn: 'Return the `run()` promise.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test first: no `run` in the text, no run call to check.
    if (!sourceCode.text.includes('run')) return {};
    const asyncContext = getAsyncContext(context);
    // A run is of an instance, or `runJob` of @unthread/context: neither in a file that holds none.
    if (!asyncContext.mayHoldInstances()) return {};
    const types = getTypeServices(context);

    /**
     * Cheap first: an inline async function, or a name bound to one in this file. With type information:
     * any run whose result is a thenable.
     */
    function returnsPromise(call: TSESTree.CallExpression, callback: TSESTree.Node): boolean {
      if (isFunctionNode(callback) && callback.async) return true;
      if (callback.type === AST_NODE_TYPES.Identifier) {
        const definition = ASTUtils.findVariable(sourceCode.getScope(callback), callback)?.defs[0];
        const declared =
          definition?.node.type === AST_NODE_TYPES.VariableDeclarator ? definition.node.init : definition?.node;
        if (isFunctionNode(declared) && declared.async) return true;
      }
      return types?.isThenable(call) ?? false;
    }

    return {
      CallExpression(node) {
        const callback = asyncContext.getRunCallback(node);
        if (!callback || callback.type === AST_NODE_TYPES.SpreadElement) return;
        const statement = getFloatingStatement(node);
        if (!statement || !returnsPromise(node, callback)) return;
        context.report({
          node,
          messageId: 'floating',
          data: { call: describeRun(sourceCode, node) },
          ...(isSafeToAwait(statement, node) ? { fix: (fixer: TSESLint.RuleFixer) => fixer.insertTextBefore(statement, 'await ') } : {}),
          suggest: buildSuggestions(statement, node),
        });
      },
    };
  },
});

/** `als.run()`, `request.run()`, `runJob()`: how the message names the call. */
function describeRun(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.CallExpression): string {
  return `${sourceCode.getText(node.callee)}()`;
}

/**
 * The expression statement that drops the run's promise: `als.run(...);`, or a chain on it that does
 * not handle rejection (`.then(onlyFulfilled)`, `.finally(...)`). `void`, `await`, `return`, an
 * assignment or an argument all count as handled: someone chose what to do with the promise.
 */
function getFloatingStatement(node: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let current: TSESTree.Node = node;
  for (;;) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (!parent) return undefined;
    if (parent.type === AST_NODE_TYPES.ChainExpression) {
      current = parent;
    } else if (
      parent.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === current &&
      parent.parent.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent
    ) {
      const method = !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier ? parent.property.name : '';
      const handles = method === 'catch' || (method === 'then' && parent.parent.arguments.length >= 2);
      if (handles || (method !== 'then' && method !== 'finally')) return undefined;
      current = parent.parent;
    } else if (parent.type === AST_NODE_TYPES.ExpressionStatement) {
      return parent;
    } else {
      return undefined;
    }
  }
}

/**
 * The one rewrite that is the same program but for the dropped promise: in an async function that
 * returns nothing, the floating `run()` is the last statement of its body. Awaiting it there delays no
 * later statement and changes no returned value (still undefined); the function's promise now settles
 * when the run does, and a rejection reaches the caller instead of `unhandledRejection`.
 */
function isSafeToAwait(statement: TSESTree.ExpressionStatement, node: TSESTree.CallExpression): boolean {
  const fn = getEnclosingFunction(node);
  if (!fn?.async || fn.generator || fn.body.type !== AST_NODE_TYPES.BlockStatement || fn.body.body.at(-1) !== statement) return false;
  return !containsOutsideFunctions(fn.body, (inner) => inner.type === AST_NODE_TYPES.ReturnStatement && inner.argument !== null);
}

function buildSuggestions(
  statement: TSESTree.ExpressionStatement,
  node: TSESTree.CallExpression,
): TSESLint.SuggestionReportDescriptor<MessageId>[] {
  const fn = getEnclosingFunction(node);
  const suggestions: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
  if (fn?.async) {
    suggestions.push({ messageId: 'addAwait', fix: (fixer) => fixer.insertTextBefore(statement, 'await ') });
  }
  // Returning is the same program only where the statement is the function's last.
  const body = fn?.body;
  if (body?.type === AST_NODE_TYPES.BlockStatement && body.body.at(-1) === statement) {
    suggestions.push({ messageId: 'addReturn', fix: (fixer) => fixer.insertTextBefore(statement, 'return ') });
  }
  return suggestions;
}
