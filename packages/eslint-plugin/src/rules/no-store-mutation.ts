import { ASTUtils, AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';

export type Options = [];
export type MessageId = 'mutation';

/** Functions that write into their first argument. */
const MUTATING_FUNCTIONS = new Map([
  ['Object', new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf'])],
  ['Reflect', new Set(['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf'])],
]);

/** Methods that change a Map or Set store in place. */
const MUTATING_METHODS = new Set(['set', 'delete', 'clear', 'add']);

export default createRule<Options, MessageId>({
  name: 'no-store-mutation',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow mutating the store that `getStore()` returns',
      recommended: 'strict',
    },
    schema: [],
    messages: {
      mutation:
        '{{ what }} the store from `getStore()` changes it for everything that shares it: every callback and promise started in the same `run()`, and on a shared store other requests too. Start a nested `run()` with a new object instead: `als.run({ ...als.getStore(), key: value }, () => ...)`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test of all: without getStore there is no store to mutate.
    if (!sourceCode.text.includes('getStore')) return {};
    const asyncContext = getAsyncContext(context);
    const storeVariables = new WeakMap<TSESLint.Scope.Variable, boolean>();

    /** `als.getStore()` itself, or a variable that only ever holds its result. */
    function isStore(input: TSESTree.Node): boolean {
      const node = skipWrappers(input);
      if (node.type === AST_NODE_TYPES.CallExpression) return isGetStoreCall(asyncContext, node);
      if (node.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
      if (!variable) return false;
      let known = storeVariables.get(variable);
      if (known === undefined) {
        known = holdsOnlyStore(asyncContext, variable);
        storeVariables.set(variable, known);
      }
      return known;
    }

    /** The root of `store.a.b[c]`: mutating a nested object of the store mutates what others see. */
    function getRootObject(member: TSESTree.MemberExpression): TSESTree.Node {
      let object = skipWrappers(member.object);
      while (object.type === AST_NODE_TYPES.MemberExpression) object = skipWrappers(object.object);
      return object;
    }

    function checkTarget(target: TSESTree.Node, report: TSESTree.Node, what: string): void {
      const member = skipWrappers(target);
      if (member.type === AST_NODE_TYPES.MemberExpression && isStore(getRootObject(member))) {
        context.report({ node: report, messageId: 'mutation', data: { what } });
      }
    }

    return {
      AssignmentExpression(node) {
        checkTarget(node.left, node, 'Assigning into');
      },
      UpdateExpression(node) {
        checkTarget(node.argument, node, 'Incrementing a value in');
      },
      'UnaryExpression[operator="delete"]'(node: TSESTree.UnaryExpression) {
        checkTarget(node.argument, node, 'Deleting from');
      },
      CallExpression(node) {
        const callee = skipWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = getStaticPropertyName(callee);
        if (name === undefined) return;
        const object = skipWrappers(callee.object);
        // `Object.assign(store, ...)` and friends.
        if (object.type === AST_NODE_TYPES.Identifier && MUTATING_FUNCTIONS.get(object.name)?.has(name)) {
          const [first] = node.arguments;
          if (first && first.type !== AST_NODE_TYPES.SpreadElement && isStore(first)) {
            context.report({ node, messageId: 'mutation', data: { what: `\`${object.name}.${name}()\` on` } });
          }
          return;
        }
        // `store.set(key, value)` on a Map store.
        if (MUTATING_METHODS.has(name) && isStore(object)) {
          context.report({ node, messageId: 'mutation', data: { what: `\`.${name}()\` on` } });
        }
      },
    };
  },
});

function isGetStoreCall(asyncContext: AsyncContext, node: TSESTree.CallExpression): boolean {
  const callee = skipWrappers(node.callee);
  // Cheap test first: only calls named getStore reach the recogniser.
  if (callee.type !== AST_NODE_TYPES.MemberExpression || getStaticPropertyName(callee) !== 'getStore') return false;
  const call = asyncContext.getContextCall(node);
  return call?.kind === 'storage' && call.method === 'getStore';
}

/** A variable initialised from `getStore()` and never assigned anything else. */
function holdsOnlyStore(asyncContext: AsyncContext, variable: TSESLint.Scope.Variable): boolean {
  if (variable.defs.length !== 1) return false;
  const [definition] = variable.defs;
  if (definition?.type !== TSESLint.Scope.DefinitionType.Variable || definition.node.id.type !== AST_NODE_TYPES.Identifier) return false;
  const init = definition.node.init ? skipWrappers(definition.node.init) : undefined;
  if (init?.type !== AST_NODE_TYPES.CallExpression || !isGetStoreCall(asyncContext, init)) return false;
  return variable.references.every((reference) => reference.init === true || !reference.isWrite());
}
