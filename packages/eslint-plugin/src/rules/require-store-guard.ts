import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext, isCallOf } from '../utils/async-context.js';
import { type FunctionNode, isFunctionNode, skipWrappers } from '../utils/ast.js';

export type Options = [];
export type MessageId = 'unguardedAccess' | 'nonNullAssertion' | 'unguardedDestructuring' | 'useOptionalChain' | 'throwIfMissing';

export default createRule<Options, MessageId>({
  name: 'require-store-guard',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a check before reading from the store that `getStore()` returns',
      recommended: 'recommended',
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      unguardedAccess:
        '`getStore()` returns undefined outside `run()` (a timer, a listener, startup code), and this read then throws a TypeError. Check the store first, or use `?.`.',
      nonNullAssertion:
        '`getStore()!` only silences the type checker: outside `run()` the store is undefined and the next read throws. Check it and fail with a message that names the missing context.',
      unguardedDestructuring:
        'Destructuring `getStore()` throws a TypeError outside `run()`, where the store is undefined. Check the store first.',
      useOptionalChain: 'Read with `?.` (the value becomes undefined outside `run()`).',
      throwIfMissing: 'Throw an error that says the store is missing.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test of all: a file that never says getStore has nothing to report.
    if (!sourceCode.text.includes('getStore')) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};

    function reportAccess(access: TSESTree.MemberExpression, store: TSESTree.Node): void {
      context.report({
        node: access,
        messageId: 'unguardedAccess',
        suggest: canBeOptional(access)
          ? [{ messageId: 'useOptionalChain', fix: (fixer) => makeOptional(fixer, sourceCode, access, store) }]
          : [],
      });
    }

    return {
      CallExpression(node) {
        // Cheap test first: the recogniser is asked only about calls named getStore.
        if (!isNamedCall(node, 'getStore')) return;
        const call = asyncContext.getContextCall(node);
        if (call?.kind !== 'storage' || call.method !== 'getStore') return;
        if (isInsideOwnRun(asyncContext, sourceCode, node, call.instance)) return;
        if (isGuardedByCondition(sourceCode, node)) return;

        const { outer, parent } = climbWrappers(node);
        if (parent?.type === AST_NODE_TYPES.TSNonNullExpression) {
          context.report({ node: parent, messageId: 'nonNullAssertion', suggest: suggestForNonNull(sourceCode, parent) });
          return;
        }
        if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer && !parent.optional) {
          reportAccess(parent, outer);
          return;
        }
        if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer) {
          if (parent.id.type === AST_NODE_TYPES.ObjectPattern || parent.id.type === AST_NODE_TYPES.ArrayPattern) {
            context.report({ node: parent, messageId: 'unguardedDestructuring' });
          } else if (parent.id.type === AST_NODE_TYPES.Identifier) {
            const dereference = getOnlyDereference(sourceCode, parent);
            if (dereference) reportAccess(dereference, dereference.object);
          }
        }
      },
    };
  },
});

function isNamedCall(node: TSESTree.CallExpression, name: string): boolean {
  const callee = skipWrappers(node.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    callee.property.name === name
  );
}

/** `(als.getStore() as Store)` and `(als.getStore())` are the same value as the call. */
function climbWrappers(node: TSESTree.Node): { outer: TSESTree.Node; parent: TSESTree.Node | undefined } {
  let outer = node;
  while (
    outer.parent?.type === AST_NODE_TYPES.TSAsExpression ||
    outer.parent?.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    outer.parent?.type === AST_NODE_TYPES.TSTypeAssertion
  ) {
    outer = outer.parent;
  }
  return { outer, parent: outer.parent };
}

/**
 * Inside the callback of `als.run(store, () => ...)` on the same instance, the store is the one just
 * passed in: the first false positive anyone would hit, so it is not reported.
 */
function isInsideOwnRun(
  asyncContext: AsyncContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  instance: TSESTree.Node,
): boolean {
  const instanceText = sourceCode.getText(instance);
  const isOwnRun = (call: TSESTree.Node | undefined, fn: TSESTree.Node): boolean => {
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[1] !== fn || !isCallOf(call, 'run')) return false;
    const contextCall = asyncContext.getContextCall(call);
    return contextCall?.method === 'run' && sourceCode.getText(contextCall.instance) === instanceText;
  };
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression && isFunction(child) && isOwnRun(current, child)) return true;
    if (isFunctionNode(current) && isOnlyRunBy(sourceCode, current, isOwnRun)) return true;
  }
  return false;
}

/**
 * A named function of this file whose every use is as the callback of a `run()` on the instance:
 * `function work() { ... }` with `als.run(new Map(), work)` and no other reference.
 */
function isOnlyRunBy(
  sourceCode: Readonly<TSESLint.SourceCode>,
  fn: FunctionNode,
  isOwnRun: (call: TSESTree.Node | undefined, fn: TSESTree.Node) => boolean,
): boolean {
  let declaration: TSESTree.Node | undefined;
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) declaration = fn;
  else if (fn.parent.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn) declaration = fn.parent;
  if (!declaration) return false;
  const [variable] = sourceCode.getDeclaredVariables(declaration);
  if (!variable) return false;
  const uses = variable.references.filter((reference) => !reference.init);
  return uses.length > 0 && uses.every((reference) => !reference.isWrite() && isOwnRun(reference.identifier.parent, reference.identifier));
}

/**
 * `als.getStore()!.user` → `als.getStore()?.user`; any other `als.getStore()!` → the store, or an
 * error thrown on the spot that says it is missing (what `!` claimed could not happen).
 */
function suggestForNonNull(
  sourceCode: Readonly<TSESLint.SourceCode>,
  assertion: TSESTree.TSNonNullExpression,
): TSESLint.SuggestionReportDescriptor<MessageId>[] {
  const parent = assertion.parent;
  const inner = sourceCode.getText(assertion.expression);
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === assertion && !parent.optional && canBeOptional(parent)) {
    return [
      {
        messageId: 'useOptionalChain',
        fix: (fixer) => [fixer.replaceText(assertion, inner), ...[makeOptional(fixer, sourceCode, parent, assertion)]],
      },
    ];
  }
  return [
    {
      messageId: 'throwIfMissing',
      fix: (fixer) =>
        fixer.replaceText(
          assertion,
          `(${inner} ?? (() => { throw new Error('No store: this code ran outside run()'); })())`,
        ),
    },
  ];
}

/**
 * `als.getStore() && als.getStore().x`, `if (als.getStore()) als.getStore().x`,
 * `a.getStore() ? a.getStore().x : y`, and an earlier statement of an enclosing block that checks the
 * same call: `assert(als.getStore())`, `if (!als.getStore()) throw ...`.
 */
function isGuardedByCondition(sourceCode: Readonly<TSESLint.SourceCode>, call: TSESTree.CallExpression): boolean {
  const callText = sourceCode.getText(call);
  const mentions = (test: TSESTree.Node): boolean => sourceCode.getText(test).includes(callText);
  for (let child: TSESTree.Node = call, current: TSESTree.Node | undefined = call.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program: {
        const index = current.body.indexOf(child as never);
        if (current.body.slice(0, Math.max(index, 0)).some((statement) => isCheckOf(statement, mentions))) return true;
        break;
      }
      case AST_NODE_TYPES.LogicalExpression:
        if (current.operator === '&&' && current.right === child && mentions(current.left)) return true;
        break;
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.IfStatement:
        if (current.consequent === child && mentions(current.test)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** `assert(x)`, `t.assert.ok(x)`, `invariant(x, '...')`, or `if (!x) throw/return`, where x mentions the call. */
function isCheckOf(statement: TSESTree.Node, mentions: (node: TSESTree.Node) => boolean): boolean {
  if (statement.type === AST_NODE_TYPES.ExpressionStatement) {
    const expression = statement.expression;
    return expression.type === AST_NODE_TYPES.CallExpression && expression.arguments.some(mentions);
  }
  if (statement.type === AST_NODE_TYPES.IfStatement && mentions(statement.test)) {
    const exit = statement.consequent.type === AST_NODE_TYPES.BlockStatement ? statement.consequent.body.at(-1) : statement.consequent;
    return exit?.type === AST_NODE_TYPES.ThrowStatement || exit?.type === AST_NODE_TYPES.ReturnStatement;
  }
  return false;
}

function isFunction(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression;
}

/**
 * `const store = als.getStore(); ... store.user` with no check anywhere: the first dereference. Any
 * other use of the variable (a condition, `?.`, a comparison, passing it on, reassigning it) may be a
 * guard, so the variable is then left alone: precise rather than noisy.
 */
function getOnlyDereference(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declarator: TSESTree.VariableDeclarator,
): TSESTree.MemberExpression | undefined {
  const [variable] = sourceCode.getDeclaredVariables(declarator);
  if (!variable) return undefined;
  let first: TSESTree.MemberExpression | undefined;
  for (const reference of variable.references) {
    if (reference.init) continue;
    const parent = reference.identifier.parent;
    if (
      reference.isWrite() ||
      parent?.type !== AST_NODE_TYPES.MemberExpression ||
      parent.object !== reference.identifier ||
      parent.optional
    ) {
      return undefined;
    }
    if (!first || parent.range[0] < first.range[0]) first = parent;
  }
  return first;
}

/** `?.` is not allowed where the access is assigned to, incremented, constructed or used as a tag. */
function canBeOptional(access: TSESTree.MemberExpression): boolean {
  let node: TSESTree.Node = access;
  while (node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) node = node.parent;
  const parent = node.parent;
  if (!parent) return true;
  switch (parent.type) {
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.AssignmentPattern:
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
      return parent.left !== node;
    case AST_NODE_TYPES.NewExpression:
      return parent.callee !== node;
    case AST_NODE_TYPES.TaggedTemplateExpression:
      return parent.tag !== node;
    case AST_NODE_TYPES.UpdateExpression:
    case AST_NODE_TYPES.ArrayPattern:
    case AST_NODE_TYPES.RestElement:
      return false;
    case AST_NODE_TYPES.Property:
      return parent.parent.type !== AST_NODE_TYPES.ObjectPattern;
    default:
      return true;
  }
}

/** `store.x` → `store?.x`, `store[k]` → `store?.[k]`; comments stay where they are. */
function makeOptional(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  access: TSESTree.MemberExpression,
  store: TSESTree.Node,
): TSESLint.RuleFix {
  const token = sourceCode.getTokenAfter(store, (candidate) =>
    access.computed ? candidate.value === '[' : candidate.value === '.',
  );
  if (!token) return fixer.insertTextAfter(store, '?.');
  return access.computed ? fixer.insertTextBefore(token, '?.') : fixer.replaceText(token, '?.');
}
