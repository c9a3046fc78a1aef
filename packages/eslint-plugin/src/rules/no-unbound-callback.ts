import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { buildBindFix } from '../utils/bound-callback.js';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext } from '../utils/async-context.js';
import { type FunctionNode, getCalleeName, getCallReceivingFunction, getStaticPropertyName, isFunctionNode, isWithin, skipWrappers } from '../utils/ast.js';
import { getTypeServices, type TypeServices } from '../utils/type-services.js';
import { LISTENER_METHODS } from '../utils/context-names.js';
import { createContextReadTest } from '../utils/reads-context.js';

export type Options = [{ queueingApis?: string[] }];
export type MessageId = 'unboundListener' | 'unboundQueued' | 'thenableCallback' | 'bindCallback' | 'resolveFirst';

// ts.TypeFlags.Any and ts.TypeFlags.Unknown; typescript is an optional peer, read only for types.
const TYPE_FLAG_ANY = 1;
const TYPE_FLAG_UNKNOWN = 2;
const CALLBACK_BINDINGS = new Set(['storage-bind', 'resource-bind', 'bind-callback', 'context-bind']);
const SNAPSHOTS = new Set(['storage-snapshot', 'context-snapshot']);

export const DEFAULT_QUEUEING_APIS = [
  'pool.getConnection',
  'pool.acquire',
  'pool.connect',
  'pool.query',
  'queue.push',
  'queue.unshift',
  'queue.add',
];

export default createRule<Options, MessageId>({
  name: 'no-unbound-callback',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description:
        'Require listeners added inside a context and callbacks handed to pools and queues to be bound to the current context',
      recommended: 'recommended',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          queueingApis: {
            type: 'array',
            items: { type: 'string', pattern: '^[^.]+\\.[^.]+$' },
            uniqueItems: true,
            description:
              'Callback APIs that queue their callback and run it later from someone else\'s context, as `object.method`: the object matches a name ending in it (`pool` matches `dbPool` and `this.pool`), `*` matches any.',
          },
        },
      },
    ],
    messages: {
      unboundListener:
        'This listener runs in the context of whoever calls `emit()`, not of this `run()`: it sees another request\'s store or none. Bind it (`AsyncLocalStorage.bind`, `bindCallback`) or bind the emitter (`bindEmitter`).',
      unboundQueued:
        '`{{ api }}` queues this callback and runs it from whichever caller frees the slot: it sees that caller\'s store. Bind it at enqueue time (`AsyncLocalStorage.bind`, `bindCallback`) or use the promise API with `await`.',
      thenableCallback:
        '`.then(cb)` on a thenable that is not a native promise runs `cb` in the context of whoever resolves it. Use `await`, `Promise.resolve(thenable).then(cb)`, or bind `cb`.',
      bindCallback: 'Bind the callback to the current context.',
      resolveFirst: 'Go through a native promise: `Promise.resolve(…).then(cb)`.',
    },
  },
  defaultOptions: [{ queueingApis: DEFAULT_QUEUEING_APIS }],
  create(context, [{ queueingApis }]) {
    const asyncContext = getAsyncContext(context);
    // Every finding is a callback that reads a context: none can, in a file that holds no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    const types = getTypeServices(context);
    const { sourceCode } = context;
    const { apis, methods: queueingMethods } = parseQueueingApis(queueingApis ?? DEFAULT_QUEUEING_APIS);
    const readsContext = createContextReadTest(sourceCode, asyncContext);
    // A callback is reported once, however many of the checks below it meets.
    const reported = new Set<TSESTree.Node>();

    /**
     * Only a function (inline, or a name of this file bound to one) that reads a context when it runs
     * can see the wrong store: data handed to a queue, a parameter nobody can see into, and a
     * completion callback that reads none (`resolve`, `done`) are left alone.
     */
    function isContextReadingCallback(callback: TSESTree.Node): boolean {
      return !reported.has(callback) && readsContext(callback) && !isBound(sourceCode, asyncContext, callback);
    }

    function reportUnbound(callback: TSESTree.Node, messageId: 'unboundListener' | 'unboundQueued', api = ''): void {
      reported.add(callback);
      // `bind` throws on anything but a function: suggested only for what is one.
      const fix = buildBindFix(context, callback);
      context.report({
        node: callback,
        messageId,
        data: { api },
        suggest: fix ? [{ messageId: 'bindCallback', fix }] : [],
      });
    }

    function checkListener(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const callback = node.arguments[1];
      if (!callback || !isCallbackLike(sourceCode, callback)) return;
      const runCallback = getEnclosingRunCallback(asyncContext, node);
      if (!runCallback || !isContextReadingCallback(callback)) return;
      if (isEmitterLocalOrBound(sourceCode, asyncContext, callee.object, runCallback)) return;
      if (types && !isUnboundEmitterType(types, callee.object)) return;
      reportUnbound(callback, 'unboundListener');
    }

    function checkQueued(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression, method: string): void {
      if (!queueingMethods.has(method)) return;
      const objectName = getLastName(callee.object)?.toLowerCase();
      if (objectName === undefined) return;
      const api = apis.find((candidate) => candidate.method === method && (candidate.object === '*' || objectName.endsWith(candidate.object)));
      if (!api) return;
      for (const argument of node.arguments) {
        if (isCallbackLike(sourceCode, argument, true) && isContextReadingCallback(argument)) {
          reportUnbound(argument, 'unboundQueued', api.api);
        }
      }
    }

    /** Type information only: the object has a callable `then` and is not a native promise. */
    function checkThenable(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      if (!types) return;
      const [callback] = node.arguments;
      if (!callback || !isCallbackLike(sourceCode, callback) || !isContextReadingCallback(callback)) return;
      const type = types.getType(callee.object);
      if (!type || !types.isThenable(callee.object)) return;
      const parts = type.isUnion() ? type.types : [type];
      const native = parts.every((part) => {
        const name = part.getSymbol()?.getName();
        return name === 'Promise' || name === 'PromiseLike';
      });
      if (native) return;
      const object = callee.object;
      reported.add(callback);
      context.report({
        node: callback,
        messageId: 'thenableCallback',
        suggest: [
          {
            messageId: 'resolveFirst',
            fix: (fixer) => fixer.replaceText(object, `Promise.resolve(${sourceCode.getText(object)})`),
          },
        ],
      });
    }

    return {
      CallExpression(node) {
        const callee = skipWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = getStaticPropertyName(callee);
        if (method === undefined) return;
        if (LISTENER_METHODS.has(method)) checkListener(node, callee);
        else if (method === 'then') checkThenable(node, callee);
        else checkQueued(node, callee, method);
      },
    };
  },
});

interface QueueingApis {
  apis: { object: string; method: string; api: string }[];
  /** Most calls are of no queueing method: their name rules them out before the object's is read. */
  methods: ReadonlySet<string>;
}

// Without options every file gets the same frozen defaults (createRule merges them once per rule), so
// that list is parsed once. A list from the config may be changed between lints: parsed per file.
const parsedQueueingApis = new WeakMap<readonly string[], QueueingApis>();

function parseQueueingApis(list: readonly string[]): QueueingApis {
  const cached = parsedQueueingApis.get(list);
  if (cached) return cached;
  const apis = list.map((api) => {
    const [object = '', method = ''] = api.split('.');
    return { object: object.toLowerCase(), method, api };
  });
  const parsed = { apis, methods: new Set(apis.map(({ method }) => method)) };
  if (Object.isFrozen(list)) parsedQueueingApis.set(list, parsed);
  return parsed;
}

/**
 * With type information: an object whose type has `emit` (an EventEmitter or alike) and is not an
 * EventEmitterAsyncResource, which runs its listeners in its own creation context. Types the checker
 * cannot tell (`any`) count as emitters, as without type information.
 */
function isUnboundEmitterType(types: TypeServices, emitter: TSESTree.Node): boolean {
  const type = types.getType(emitter);
  if (!type || (type.flags & (TYPE_FLAG_ANY | TYPE_FLAG_UNKNOWN)) !== 0) return true;
  const queue = [type];
  for (let index = 0; index < queue.length && index < 20; index++) {
    const current = queue[index]!;
    if (current.getSymbol()?.getName() === 'EventEmitterAsyncResource') return false;
    if (current.isClassOrInterface()) queue.push(...(types.checker.getBaseTypes(current) ?? []));
  }
  return types.checker.getApparentType(type).getProperty('emit') !== undefined;
}

/** An inline function, or (when `declaredOnly`) a name bound to a function in this file. */
function isCallbackLike(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, declaredOnly = false): boolean {
  if (isFunctionNode(node)) return true;
  if (node.type !== AST_NODE_TYPES.Identifier) return !declaredOnly && node.type === AST_NODE_TYPES.MemberExpression;
  if (!declaredOnly) return true;
  const definition = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
  const declared = definition?.node.type === AST_NODE_TYPES.VariableDeclarator ? definition.node.init : definition?.node;
  return isFunctionNode(declared);
}

/** The callback of the innermost `run()` (or `runJob()`) around `node`, if any. */
function getEnclosingRunCallback(asyncContext: AsyncContext, node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    const receiver = getCallReceivingFunction(current);
    if (receiver && asyncContext.getRunCallback(receiver) === current) return current;
  }
  return undefined;
}

/**
 * `AsyncLocalStorage.bind(fn)`, `bindCallback(fn)`, `ctx.bind(fn)`, a name holding one of those, or
 * a function whose whole body runs inside a snapshot: `(...a) => snap(() => handle(...a))`.
 */
function isBound(sourceCode: Readonly<TSESLint.SourceCode>, asyncContext: AsyncContext, input: TSESTree.Node): boolean {
  const node = skipWrappers(input);
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const kind = asyncContext.getBindingKind(node);
    return kind !== undefined && CALLBACK_BINDINGS.has(kind);
  }
  if (node.type === AST_NODE_TYPES.Identifier) {
    const init = getInitialiser(sourceCode, node);
    return init?.type === AST_NODE_TYPES.CallExpression && isBound(sourceCode, asyncContext, init);
  }
  if (!isFunctionNode(node)) return false;
  const body =
    node.body.type === AST_NODE_TYPES.BlockStatement
      ? node.body.body.length === 1 && node.body.body[0]?.type === AST_NODE_TYPES.ExpressionStatement
        ? node.body.body[0].expression
        : undefined
      : node.body;
  if (body?.type !== AST_NODE_TYPES.CallExpression || body.callee.type !== AST_NODE_TYPES.Identifier) return false;
  const init = getInitialiser(sourceCode, body.callee);
  if (init?.type !== AST_NODE_TYPES.CallExpression) return false;
  const kind = asyncContext.getBindingKind(init);
  return kind !== undefined && SNAPSHOTS.has(kind);
}

function getInitialiser(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Identifier): TSESTree.Node | undefined {
  const definition = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
  if (definition?.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return undefined;
  return skipWrappers(definition.node.init);
}

/**
 * No context is lost when the emitter lives and is emitted within this run (created inside it, or
 * emitted by it), or carries its own context (`bindEmitter`, `EventEmitterAsyncResource`).
 */
function isEmitterLocalOrBound(
  sourceCode: Readonly<TSESLint.SourceCode>,
  asyncContext: AsyncContext,
  input: TSESTree.Node,
  runCallback: FunctionNode,
): boolean {
  const emitter = skipWrappers(input);
  if (emitter.type === AST_NODE_TYPES.NewExpression) return true;
  if (emitter.type === AST_NODE_TYPES.CallExpression) return asyncContext.getBindingKind(emitter) === 'bind-emitter';
  const emitterText = sourceCode.getText(emitter);
  if (emitsWithin(sourceCode, runCallback, emitterText)) return true;
  // `bindEmitter(emitter, ...)` anywhere in the file binds that emitter for good.
  for (const [call, kind] of asyncContext.bindingCalls) {
    const [first] = call.arguments;
    if (kind === 'bind-emitter' && first && sourceCode.getText(first) === emitterText) return true;
  }
  if (emitter.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(sourceCode.getScope(emitter), emitter);
  const definition = variable?.defs[0];
  if (!variable || !definition) return false;
  if (isWithin(definition.name, runCallback)) return true;
  const init = getInitialiser(sourceCode, emitter);
  if (init?.type === AST_NODE_TYPES.NewExpression && getCalleeName(init.callee) === 'EventEmitterAsyncResource') return true;
  return init?.type === AST_NODE_TYPES.CallExpression && asyncContext.getBindingKind(init) === 'bind-emitter';
}

/** `<emitter>.emit(...)` inside the run's own callback: the listener then runs in this very context. */
function emitsWithin(sourceCode: Readonly<TSESLint.SourceCode>, runCallback: FunctionNode, emitterText: string): boolean {
  const text = sourceCode.getText(runCallback);
  return text.includes(`${emitterText}.emit(`);
}

/** `pool` → 'pool', `this.dbPool` → 'dbPool', `getPool()` → undefined. */
function getLastName(node: TSESTree.Node): string | undefined {
  const target = skipWrappers(node);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  if (target.type === AST_NODE_TYPES.MemberExpression) return getStaticPropertyName(target);
  return undefined;
}
