import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';
import { DefinitionKind, ScopeKind } from '../utils/scope-kinds.js';

export type Options = [];
export type MessageId = 'mutation' | 'collectionMutation';

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
      collectionMutation:
        '{{ what }} the store from `getStore()` changes it for everything that shares it: every callback and promise started in the same `run()`, and on a shared store other requests too. Start a nested `run()` with a copy instead: `als.run(new Map(als.getStore()).set(key, value), () => ...)`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test of all: without getStore there is no store to mutate.
    if (!sourceCode.text.includes('getStore')) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    const storeVariables = new WeakMap<TSESLint.Scope.Variable, TSESTree.CallExpression | null>();
    // Reported at the end of the file, once every run() of it is known: a mutation of a store that
    // every run() of its instance creates fresh (`als.run(new Map(), next)`) is per-run by construction.
    const mutations: { node: TSESTree.Node; messageId: MessageId; what: string; instance: string }[] = [];
    /** Instance (as `instanceKey` spells it) → whether every run() of it in this file gets a fresh store. */
    const freshRuns = new Map<string, boolean>();

    /** The `getStore()` call behind `als.getStore()` itself or a variable that only ever holds its result. */
    function getStoreCall(input: TSESTree.Node): TSESTree.CallExpression | undefined {
      const node = skipWrappers(input);
      if (node.type === AST_NODE_TYPES.CallExpression) return isGetStoreCall(asyncContext, node) ? node : undefined;
      if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
      if (!variable) return undefined;
      let known = storeVariables.get(variable);
      if (known === undefined) {
        known = holdsOnlyStore(asyncContext, variable) ?? null;
        storeVariables.set(variable, known);
      }
      return known ?? undefined;
    }

    function isStore(input: TSESTree.Node): boolean {
      return getStoreCall(input) !== undefined;
    }

    function record(node: TSESTree.Node, store: TSESTree.Node, what: string, messageId: MessageId = 'mutation'): void {
      const call = getStoreCall(store);
      const callee = call && skipWrappers(call.callee);
      const instance = callee?.type === AST_NODE_TYPES.MemberExpression ? instanceKey(sourceCode, callee.object) : '';
      mutations.push({ node, messageId, what, instance });
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
        record(report, getRootObject(member), what);
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
            record(node, first, `\`${object.name}.${name}()\` on`);
          }
          return;
        }
        if (name === 'run') {
          const call = asyncContext.getContextCall(node);
          if (call?.kind === 'storage' && call.method === 'run') {
            const key = instanceKey(sourceCode, call.instance);
            const [store] = node.arguments;
            freshRuns.set(key, (freshRuns.get(key) ?? true) && store !== undefined && isFreshStore(sourceCode, store));
          }
          return;
        }
        // `store.set(key, value)` on a Map or Set store: the copy to suggest is a new Map, not `{ ... }`.
        if (MUTATING_METHODS.has(name) && isStore(object)) {
          record(node, object, `\`.${name}()\` on`, 'collectionMutation');
        }
      },
      'Program:exit'() {
        for (const { node, messageId, what, instance } of mutations) {
          if (freshRuns.get(instance) === true) continue;
          context.report({ node, messageId, data: { what } });
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

/** The `getStore()` call a variable is initialised from, when it is never assigned anything else. */
function holdsOnlyStore(asyncContext: AsyncContext, variable: TSESLint.Scope.Variable): TSESTree.CallExpression | undefined {
  const init = getOnlyInitialiser(variable);
  if (init?.type !== AST_NODE_TYPES.CallExpression || !isGetStoreCall(asyncContext, init)) return undefined;
  return init;
}

/** The initial value of a `const`/`let` declared once and never assigned again. */
function getOnlyInitialiser(variable: TSESLint.Scope.Variable): TSESTree.Node | undefined {
  if (variable.defs.length !== 1) return undefined;
  const [definition] = variable.defs;
  if (definition?.type !== DefinitionKind.Variable || definition.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (!variable.references.every((reference) => reference.init === true || !reference.isWrite())) return undefined;
  return definition.node.init ? skipWrappers(definition.node.init) : undefined;
}

/**
 * How the file spells an instance, seen through one alias: `const storage = globalThis[KEY]` and
 * `globalThis[KEY]` are the same instance, and so are `this.#storage` in two methods.
 */
function instanceKey(sourceCode: Readonly<TSESLint.SourceCode>, input: TSESTree.Node): string {
  const node = skipWrappers(input);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
    const init = variable ? getOnlyInitialiser(variable) : undefined;
    if (init?.type === AST_NODE_TYPES.MemberExpression || init?.type === AST_NODE_TYPES.Identifier) return sourceCode.getText(init);
  }
  return sourceCode.getText(node);
}

/**
 * A store made for this one run(): `new Map()`, `new RequestContext(req)`, or a variable of the
 * enclosing function initialised so and never reassigned (`const stack = new Set(); als.run(stack, cb)`).
 * A module-level object is shared by every run, whatever made it.
 */
function isFreshStore(sourceCode: Readonly<TSESLint.SourceCode>, input: TSESTree.Node): boolean {
  const node = skipWrappers(input);
  if (node.type === AST_NODE_TYPES.NewExpression) return true;
  if (node.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
  if (!variable || variable.scope.type === ScopeKind.module || variable.scope.type === ScopeKind.global) return false;
  return getOnlyInitialiser(variable)?.type === AST_NODE_TYPES.NewExpression;
}
