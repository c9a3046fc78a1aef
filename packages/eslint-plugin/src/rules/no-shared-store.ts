import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext, isCallOf } from '../utils/async-context.js';
import { getEnclosingFunction, skipWrappers } from '../utils/ast.js';
import { ScopeKind } from '../utils/scope-kinds.js';

export type Options = [];
export type MessageId = 'sharedStore' | 'runIfMissing' | 'copyStore';

/** Initialisers that make a mutable object every caller would then share. */
const MUTABLE_INITIALISERS = new Set<string>([
  AST_NODE_TYPES.ObjectExpression,
  AST_NODE_TYPES.ArrayExpression,
  AST_NODE_TYPES.NewExpression,
]);

export default createRule<Options, MessageId>({
  name: 'no-shared-store',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow one store object shared by every `run`/`enterWith`, and `run` only when no store exists yet',
      recommended: 'recommended',
    },
    schema: [],
    messages: {
      sharedStore:
        '`{{ name }}` is one module-level object passed to `{{ method }}()` on every call: concurrent requests read and write each other\'s values. Pass a fresh object per call, e.g. `{ ...{{ name }} }` or a new literal.',
      copyStore: 'Pass a shallow copy per call: `{ ...{{ name }} }`.',
      runIfMissing:
        '`run()` only when there is no store yet: after any earlier `enterWith` (a startup one included) every concurrent request shares that one store. Call `run()` with a fresh store for every request.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test first: neither method name in the text, nothing to check.
    if (!sourceCode.text.includes('run') && !sourceCode.text.includes('enterWith')) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    return {
      CallExpression(node) {
        // Cheap test first: only calls named run or enterWith reach the recogniser.
        if (!isCallOf(node, 'run') && !isCallOf(node, 'enterWith')) return;
        const call = asyncContext.getContextCall(node);
        // @unthread/context copies the values into a new frozen store on every run: nothing is shared.
        if (call?.kind !== 'storage' || (call.method !== 'run' && call.method !== 'enterWith')) return;
        const fn = getEnclosingFunction(node);
        if (!fn) return; // once at module level: no-unsafe-enter-with speaks about that
        const [store] = node.arguments;
        const shared = store ? getSharedModuleObject(sourceCode, store) : undefined;
        if (shared) {
          const sharedNode = store!;
          context.report({
            node: sharedNode,
            messageId: 'sharedStore',
            data: { name: shared, method: call.method },
            // Only for plain objects: a copy of an array or a Map would not be the same kind of store.
            suggest: isObjectLiteralVariable(sourceCode, sharedNode)
              ? [
                  {
                    messageId: 'copyStore',
                    data: { name: shared },
                    fix: (fixer) => fixer.replaceText(sharedNode, `{ ...${sourceCode.getText(sharedNode)} }`),
                  },
                ]
              : [],
          });
        }
        if (call.method === 'run' && isGuardedByMissingStore(sourceCode, asyncContext, node, call.instance, fn)) {
          context.report({ node, messageId: 'runIfMissing' });
        }
      },
    };
  },
});

function isObjectLiteralVariable(sourceCode: Readonly<TSESLint.SourceCode>, store: TSESTree.Node): boolean {
  const node = skipWrappers(store);
  if (node.type !== AST_NODE_TYPES.Identifier || node !== store) return false;
  const definition = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
  const init = definition?.node.type === AST_NODE_TYPES.VariableDeclarator ? definition.node.init : undefined;
  return init ? skipWrappers(init).type === AST_NODE_TYPES.ObjectExpression : false;
}

/** The name of a module-level `const`/`let` holding a mutable object literal, array or instance. */
function getSharedModuleObject(sourceCode: Readonly<TSESLint.SourceCode>, store: TSESTree.Node): string | undefined {
  const node = skipWrappers(store);
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
  const definition = variable?.defs[0];
  if (!variable || definition?.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  if (variable.scope.type !== ScopeKind.module && variable.scope.type !== ScopeKind.global) return undefined;
  // Reassigned before the run (`store = {}; als.run(store, fn)`): each call may pass a new object.
  if (variable.references.some((reference) => reference.isWrite() && reference.init !== true)) return undefined;
  const init = definition.node.init ? skipWrappers(definition.node.init) : undefined;
  if (!init || !MUTABLE_INITIALISERS.has(init.type)) return undefined;
  return node.name;
}

/**
 * `if (!als.getStore()) als.run(...)`, `als.getStore() ? next() : als.run(...)`,
 * `als.getStore() || als.run(...)`, `if (als.getStore()) return next(); als.run(...)`: the run
 * happens only when the same instance has no store. A run in the branch where the store exists
 * (extending it for a subtree) is fine.
 */
function isGuardedByMissingStore(
  sourceCode: Readonly<TSESLint.SourceCode>,
  asyncContext: AsyncContext,
  node: TSESTree.CallExpression,
  instance: TSESTree.Node,
  fn: TSESTree.Node,
): boolean {
  const instanceText = sourceCode.getText(instance);
  const presentWhenTrue = (test: TSESTree.Node): boolean | undefined =>
    getStorePolarity(asyncContext, sourceCode, test, instanceText);
  let child: TSESTree.Node = node;
  for (let current: TSESTree.Node | undefined = node.parent; current && current !== fn; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        if (current.test !== child && presentWhenTrue(current.test) === (current.alternate === child)) return true;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (current.right === child && presentWhenTrue(current.left) === (current.operator === '||')) return true;
        break;
      case AST_NODE_TYPES.BlockStatement: {
        // An early exit before the run when the store exists: `if (als.getStore()) return next();`
        const index = current.body.indexOf(child as TSESTree.Statement);
        const guarded = current.body
          .slice(0, Math.max(index, 0))
          .some((earlier) => earlier.type === AST_NODE_TYPES.IfStatement && exits(earlier.consequent) && presentWhenTrue(earlier.test) === true);
        if (guarded) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body.at(-1);
    return last !== undefined && exits(last);
  }
  return false;
}

/**
 * Whether `test` being true means the instance has a store (true), has none (false), or neither can
 * be told (undefined): `als.getStore()`, `als.getStore()?.id`, `!…`, `… == null`, `… !== undefined`.
 */
function getStorePolarity(
  asyncContext: AsyncContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  input: TSESTree.Node,
  instanceText: string,
): boolean | undefined {
  const test = skipWrappers(input);
  if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
    const inner = getStorePolarity(asyncContext, sourceCode, test.argument, instanceText);
    return inner === undefined ? undefined : !inner;
  }
  if (test.type === AST_NODE_TYPES.BinaryExpression && ['==', '===', '!=', '!=='].includes(test.operator)) {
    const [other, value] = isNullish(test.right) ? [test.right, test.left] : [test.left, test.right];
    if (!isNullish(other) || !readsStore(asyncContext, sourceCode, value, instanceText)) return undefined;
    return test.operator.startsWith('!');
  }
  return readsStore(asyncContext, sourceCode, test, instanceText) ? true : undefined;
}

function isNullish(node: TSESTree.Node): boolean {
  return (
    (node.type === AST_NODE_TYPES.Literal && node.value === null) ||
    (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined')
  );
}

/** `als.getStore()` itself, or a property read on it (`als.getStore()?.user`). */
function readsStore(
  asyncContext: AsyncContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  input: TSESTree.Node,
  instanceText: string,
): boolean {
  let node = skipWrappers(input);
  while (node.type === AST_NODE_TYPES.MemberExpression) node = skipWrappers(node.object);
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const call = asyncContext.getContextCall(node);
  return call?.method === 'getStore' && sourceCode.getText(call.instance) === instanceText;
}
