import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, type ContextCall, getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';
import { LISTENER_METHODS } from '../utils/context-names.js';
import { DefinitionKind, ScopeKind } from '../utils/scope-kinds.js';

export type Options = [{ resourceFactories?: string[] }];
export type MessageId = 'resourceInRun' | 'createInExit';

/** Calls that make something which lives for the process: pools and connection clients. */
const DEFAULT_FACTORIES = ['createPool', 'createPoolCluster', 'createCluster'];

/** Built-in values a lazy singleton may hold without holding a timer or a socket. */
const PLAIN_VALUE_CLASSES = new Set([
  'Array',
  'Date',
  'Error',
  'Map',
  'Object',
  'Promise',
  'RegExp',
  'Set',
  'URL',
  'URLSearchParams',
  'WeakMap',
  'WeakRef',
  'WeakSet',
]);

/** Calls that make a resource by their name: `createClient()`, `connect()`, `startScheduler()`. */
const CREATOR_NAME = /^(create|connect|open|start|init|setup|make|build|new)([A-Z_]|$)/u;

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

export default createRule<Options, MessageId>({
  name: 'no-long-lived-resource-in-run',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow intervals, servers, pools and singletons created inside `run()`',
      recommended: 'recommended',
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          resourceFactories: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Further functions or classes that create long-lived resources (`createClient`, `Redis`). Class names ending in `Pool` and `createPool` are always included.',
          },
        },
      },
    ],
    messages: {
      resourceInRun:
        '{{ what }} inside `run()` captures this store, which then stays alive for as long as {{ lifetime }}: one request\'s store kept for the life of the process. Create it at startup, outside `run()`, or inside `exit()`.',
      createInExit:
        'Create it inside `{{ instance }}.exit()` (its callbacks then see no store, as they would at startup).',
    },
  },
  defaultOptions: [{ resourceFactories: [] }],
  create(context, [{ resourceFactories = [] }]) {
    const { sourceCode } = context;
    // Cheapest test of all: nothing is inside run() in a file that never says run.
    if (!/\brun\b/u.test(sourceCode.text)) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is inside the run() of an instance: none in a file that holds no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    const factories = new Set([...DEFAULT_FACTORIES, ...resourceFactories]);

    function report(node: TSESTree.Node, what: string, lifetime: string): void {
      const run = getEnclosingRun(asyncContext, node);
      if (!run) return;
      const callback = run.node.arguments[1];
      if (callback && isDisposedWithin(sourceCode, node, callback)) return;
      const instance = sourceCode.getText(run.instance);
      const replaceable = getReplaceableExpression(node);
      context.report({
        node,
        messageId: 'resourceInRun',
        data: { what, lifetime },
        // Only an AsyncLocalStorage has exit(); moving creation there changes what the callbacks see,
        // so it is a suggestion, never a fix.
        suggest:
          run.kind === 'storage' && replaceable
            ? [
                {
                  messageId: 'createInExit',
                  data: { instance },
                  fix: (fixer) => [
                    fixer.insertTextBefore(replaceable, `${instance}.exit(() => `),
                    fixer.insertTextAfter(replaceable, ')'),
                  ],
                },
              ]
            : [],
      });
    }

    return {
      CallExpression(node) {
        const callee = skipWrappers(node.callee);
        const name = getCalleeName(node);
        if (name === undefined) return;
        if (name === 'setInterval' && isTimersFunction(sourceCode, callee)) {
          report(node, '`setInterval()`', 'the interval runs');
        } else if (name === 'listen' && callee.type === AST_NODE_TYPES.MemberExpression) {
          report(node, '`listen()`', 'the server is open');
        } else if (factories.has(name)) {
          report(node, `\`${name}()\``, 'the resource lives');
        }
      },
      NewExpression(node) {
        const name = getCalleeName(node);
        if (name !== undefined && (name.endsWith('Pool') || factories.has(name))) {
          report(node, `\`new ${name}()\``, 'the resource lives');
        }
      },
      AssignmentExpression(node) {
        // A lazily created module-level singleton: `client ??= new Client()`, `if (!pool) pool = make()`.
        if (node.left.type !== AST_NODE_TYPES.Identifier || !['=', '??=', '||='].includes(node.operator)) return;
        const value = skipAwait(node.right);
        if (value.type !== AST_NODE_TYPES.NewExpression && value.type !== AST_NODE_TYPES.CallExpression) return;
        if (value.type === AST_NODE_TYPES.NewExpression && PLAIN_VALUE_CLASSES.has(getCalleeName(value) ?? '')) return;
        if (value.type === AST_NODE_TYPES.CallExpression && !CREATOR_NAME.test(getCalleeName(value) ?? '')) return;
        const variable = ASTUtils.findVariable(sourceCode.getScope(node.left), node.left);
        if (variable?.scope.type !== ScopeKind.module && variable?.scope.type !== ScopeKind.global) {
          return;
        }
        if (isReportedResource(value, factories)) return; // reported on its own
        report(node, `The module-level singleton \`${node.left.name}\``, 'the singleton lives (its timers and sockets hold it)');
      },
    };
  },
});

/**
 * The `run()` whose callback executes `node` while the run is current. Walks out through callbacks
 * passed inline to other calls (`then`, `forEach`, `setTimeout` keep the context); stops at
 * functions that run later or elsewhere (declarations, stored or returned functions, listeners) and
 * at `exit()`, whose callback runs outside the store.
 */
function getEnclosingRun(asyncContext: AsyncContext, node: TSESTree.Node): ContextCall | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    const call = current.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current as TSESTree.CallExpressionArgument)) {
      return undefined;
    }
    const callee = skipWrappers(call.callee);
    const method = callee.type === AST_NODE_TYPES.MemberExpression ? getStaticPropertyName(callee) : undefined;
    if (method === 'run' || method === 'exit') {
      const contextCall = asyncContext.getContextCall(call);
      if (contextCall?.method === 'exit') return undefined;
      if (contextCall?.method === 'run' && call.arguments[1] === current) return contextCall;
    }
    if (method !== undefined && LISTENER_METHODS.has(method)) return undefined; // a listener's callback runs later, in the emitter's context
  }
  return undefined;
}

function isFunctionNode(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionDeclaration
  );
}

/** How a resource is let go of: `clearInterval(timer)`, `server.close()`, `pool.end()`. */
const DISPOSE_METHODS = new Set(['close', 'end', 'destroy', 'quit', 'disconnect', 'stop', 'terminate']);

/**
 * `const timer = setInterval(...); try { ... } finally { clearInterval(timer); }` inside the same run,
 * or `server.listen(); ...; server.close()`: the resource ends with the run, so the store is not kept.
 */
function isDisposedWithin(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, scope: TSESTree.Node): boolean {
  const holder = getHolder(node);
  if (!holder) return false;
  const variable = ASTUtils.findVariable(sourceCode.getScope(holder), holder);
  if (!variable) return false;
  const [start, end] = scope.range;
  return variable.references.some(({ identifier }) => {
    if (identifier.range[0] < start || identifier.range[1] > end) return false;
    const parent = identifier.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(identifier as TSESTree.Identifier)) {
      const callee = skipWrappers(parent.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? getStaticPropertyName(callee) : undefined;
      return name === 'clearInterval';
    }
    return (
      parent?.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === identifier &&
      DISPOSE_METHODS.has(getStaticPropertyName(parent) ?? '') &&
      parent.parent.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent
    );
  });
}

/** The variable a resource is held in: `const timer = setInterval()`, `pool = new Pool()`, `server.listen()`. */
function getHolder(node: TSESTree.Node): TSESTree.Identifier | undefined {
  if (node.type === AST_NODE_TYPES.AssignmentExpression) return node.left.type === AST_NODE_TYPES.Identifier ? node.left : undefined;
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipWrappers(node.callee);
    // `server.listen()`: the server is the resource.
    if (callee.type === AST_NODE_TYPES.MemberExpression && getStaticPropertyName(callee) === 'listen') {
      const object = skipWrappers(callee.object);
      if (object.type === AST_NODE_TYPES.Identifier) return object;
    }
  }
  let value: TSESTree.Node = node;
  while (value.parent?.type === AST_NODE_TYPES.AwaitExpression) value = value.parent;
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value && parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.id;
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === value && parent.left.type === AST_NODE_TYPES.Identifier) {
    return parent.left;
  }
  return undefined;
}

/** The global `setInterval`, `timers.setInterval` or one imported from `timers`; not a local function. */
function isTimersFunction(sourceCode: Readonly<TSESLint.SourceCode>, callee: TSESTree.Node): boolean {
  if (callee.type !== AST_NODE_TYPES.Identifier) return true;
  const variable = ASTUtils.findVariable(sourceCode.getScope(callee), callee);
  if (!variable || variable.defs.length === 0) return true;
  return variable.defs.every((definition) => definition.type === DefinitionKind.ImportBinding || isTimersRequire(definition.node));
}

function isTimersRequire(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.VariableDeclarator || node.init?.type !== AST_NODE_TYPES.CallExpression) return false;
  const [source] = node.init.arguments;
  return source?.type === AST_NODE_TYPES.Literal && typeof source.value === 'string' && /^(node:)?timers/u.test(source.value);
}

function skipAwait(node: TSESTree.Expression): TSESTree.Node {
  const inner = skipWrappers(node);
  return inner.type === AST_NODE_TYPES.AwaitExpression ? skipWrappers(inner.argument) : inner;
}

function getCalleeName(node: TSESTree.NewExpression | TSESTree.CallExpression): string | undefined {
  const callee = skipWrappers(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return getStaticPropertyName(callee);
  return undefined;
}

function isReportedResource(value: TSESTree.NewExpression | TSESTree.CallExpression, factories: ReadonlySet<string>): boolean {
  const name = getCalleeName(value);
  if (name === undefined) return false;
  if (value.type === AST_NODE_TYPES.NewExpression) return name.endsWith('Pool') || factories.has(name);
  return name === 'setInterval' || name === 'listen' || factories.has(name);
}

/** The expression to wrap in `exit(() => ...)`: a statement's expression, an initialiser or an assigned value. */
function getReplaceableExpression(node: TSESTree.Node): TSESTree.Node | undefined {
  // `x = await connect()` becomes `x = await als.exit(() => connect())`: the arrow cannot hold an await.
  if (node.type === AST_NODE_TYPES.AssignmentExpression) {
    return node.right.type === AST_NODE_TYPES.AwaitExpression ? node.right.argument : node.right;
  }
  const parent = node.parent;
  if (
    parent?.type === AST_NODE_TYPES.ExpressionStatement ||
    (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node) ||
    (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) ||
    (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node)
  ) {
    return node;
  }
  return undefined;
}
