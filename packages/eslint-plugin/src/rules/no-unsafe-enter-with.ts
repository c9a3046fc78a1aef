import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import {
  containsOutsideFunctions,
  getCallReceivingFunction,
  getCalleeName,
  getEnclosingFunction,
  getParameterName,
  type FunctionNode,
} from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext, isCallOf } from '../utils/async-context.js';
import { LISTENER_METHODS } from '../utils/context-names.js';

export type Options = [];
export type MessageId = 'beforeAwait' | 'handler' | 'listener' | 'interval' | 'insideExit' | 'topLevel' | 'useRun';

type Place = Exclude<MessageId, 'useRun'>;

const REQUEST_NAMES = new Set(['req', 'request']);
// `ext` is hapi's extension point (`server.ext('onRequest', (request, h) => ...)`).
const ROUTE_METHODS = new Set(['use', 'all', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'addHook', 'route', 'ext']);
// hapi's response toolkit is `h`.
const RESPONSE_NAMES = new Set(['res', 'response', 'reply', 'h']);

export default createRule<Options, MessageId>({
  name: 'no-unsafe-enter-with',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow `enterWith` and `withScope` where the store leaks past the code meant to see it',
      recommended: 'recommended',
    },
    schema: [],
    messages: {
      beforeAwait:
        '`{{ method }}` before the first `await` of an async function leaks the store into the caller, which keeps it even after its own `await`. Use `run()` around the work instead.',
      handler:
        '`{{ method }}` in a request handler or middleware: on Node 20 and 22 the next request on the same keep-alive connection starts with this store. Use `run()` around the rest of the handler.',
      listener:
        '`{{ method }}` in an event listener leaks the store to the later listeners of the same emit, to the `emit()` caller and to the timers it schedules. Use `run()` around the listener body.',
      interval:
        '`{{ method }}` in a `setInterval` callback is carried into the next tick on Node 20 and 22 (not on 24). Use `run()` around the tick body.',
      insideExit:
        '`{{ method }}` inside `exit()` leaks out of `exit()` on Node 20 and 22 (it stays inside on 24). Use `run()` instead.',
      topLevel:
        '`{{ method }}` at module top level gives every later request handler this same store. Call `run()` per request instead.',
      useRun: 'Wrap the rest of the block in `{{ instance }}.run()`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { sourceCode } = context;
    // Cheapest test first: no method name in the text, nothing to find.
    if (!sourceCode.text.includes('enterWith') && !sourceCode.text.includes('withScope')) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    return {
      CallExpression(node) {
        // Cheap test first: only calls named enterWith or withScope reach the recogniser.
        if (!isCallOf(node, 'enterWith') && !isCallOf(node, 'withScope')) return;
        const call = asyncContext.getContextCall(node);
        if (call?.kind !== 'storage' || (call.method !== 'enterWith' && call.method !== 'withScope')) return;
        const place = getLeakingPlace(node, asyncContext);
        // A top-level `enterWith(undefined)` sets no store, so there is none for handlers to share.
        if (!place || (place === 'topLevel' && isEmptyStore(node.arguments[0]))) return;
        const fix = call.method === 'enterWith' ? buildRunFix(sourceCode, node, call.instance) : undefined;
        context.report({
          node,
          messageId: place,
          data: { method: call.method },
          suggest: fix
            ? [{ messageId: 'useRun', data: { instance: sourceCode.getText(call.instance) }, fix }]
            : [],
        });
      },
    };
  },
});

/** Where the store set by this call escapes to, judged from the innermost function around it. */
function getLeakingPlace(node: TSESTree.CallExpression, asyncContext: AsyncContext): Place | undefined {
  const fn = getEnclosingFunction(node);
  if (!fn) return 'topLevel';
  // After an async function's first await the code runs in its own continuation: nothing set there
  // reaches the caller, the emitter, the socket or the timer.
  if (fn.async && isAfterFirstAwait(node, fn)) return undefined;
  const receiver = getCallReceivingFunction(fn);
  if (receiver) {
    const call = asyncContext.getContextCall(receiver);
    if (call?.kind === 'storage' && call.method === 'exit') return 'insideExit';
    if (getCalleeName(receiver.callee) === 'setInterval') return 'interval';
  }
  if (isRequestHandler(fn, receiver)) return 'handler';
  if (receiver && isListenerRegistration(receiver, fn)) return 'listener';
  if (fn.async) return 'beforeAwait';
  return undefined;
}

function isEmptyStore(store: TSESTree.Node | undefined): boolean {
  if (!store) return true;
  if (store.type === AST_NODE_TYPES.Identifier) return store.name === 'undefined';
  if (store.type === AST_NODE_TYPES.Literal) return store.value === null;
  return store.type === AST_NODE_TYPES.UnaryExpression && store.operator === 'void';
}

/**
 * `(req, res)`, `(req, res, next)`, `(request, reply)`, `(request, h)`, Koa's `(ctx, next)`; any function
 * of two or more parameters registered as a route, middleware or hook (`app.use`, `router.get`,
 * `fastify.addHook`, hapi's `server.ext`, `http.createServer`); a Koa 1 generator given to `use`.
 */
function isRequestHandler(fn: FunctionNode, receiver: TSESTree.CallExpression | undefined): boolean {
  if (receiver && receiver.callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = getCalleeName(receiver.callee);
    if (method !== undefined && ROUTE_METHODS.has(method) && fn.params.length >= 2) return true;
    // Koa 1 middleware is a generator of one parameter, `next`, with the request on `this`.
    if (method === 'use' && fn.generator) return true;
  }
  if (receiver && fn.params.length >= 2 && getCalleeName(receiver.callee) === 'createServer') return true;
  const names = fn.params.map(getParameterName);
  const [first, second] = names;
  if (first !== undefined && second !== undefined && REQUEST_NAMES.has(first) && RESPONSE_NAMES.has(second)) {
    return true;
  }
  return names.length === 2 && (first === 'ctx' || first === 'context') && second === 'next';
}

function isListenerRegistration(call: TSESTree.CallExpression, fn: FunctionNode): boolean {
  const name = getCalleeName(call.callee);
  return (
    call.callee.type === AST_NODE_TYPES.MemberExpression &&
    name !== undefined &&
    LISTENER_METHODS.has(name) &&
    call.arguments[1] === fn
  );
}

/** An `await` (or `for await`) of this function, outside nested functions, earlier in the source. */
function isAfterFirstAwait(node: TSESTree.Node, fn: FunctionNode): boolean {
  return containsOutsideFunctions(
    fn.body,
    (candidate) =>
      candidate.range[1] <= node.range[0] &&
      (candidate.type === AST_NODE_TYPES.AwaitExpression ||
        (candidate.type === AST_NODE_TYPES.ForOfStatement && candidate.await)),
  );
}

/**
 * `als.enterWith(s); rest...` → `als.run(s, () => rest...)`, when the statements after it can move
 * into an arrow function unchanged: an arrow keeps `this` and `arguments`; `return` and `await` are
 * kept by returning the run's result from a function body; `break`, `continue`, `yield` and hoisted
 * declarations cannot move, and then there is no suggestion.
 */
function buildRunFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.CallExpression,
  instance: TSESTree.Expression,
): TSESLint.ReportFixFunction | undefined {
  const statement = node.parent;
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression !== node) return undefined;
  const block = statement.parent;
  if (block.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const [store] = node.arguments;
  if (node.arguments.length !== 1 || !store || store.type === AST_NODE_TYPES.SpreadElement || node.optional) {
    return undefined;
  }
  // Comments inside the call but outside the store would be lost by the rewrite.
  const looseComments = sourceCode
    .getCommentsInside(statement)
    .filter((comment) => comment.range[0] < store.range[0] || comment.range[1] > store.range[1]);
  if (looseComments.length > 0) return undefined;

  const rest = block.body.slice(block.body.indexOf(statement) + 1);
  const last = rest.at(-1);
  if (!last) return undefined;
  if (rest.some(isHoistedOrUnmovable)) return undefined;

  const fn = getEnclosingFunction(node);
  const isFunctionBody = fn !== undefined && fn.body === block;
  const returns = rest.some((s) => containsOutsideFunctions(s, (n) => n.type === AST_NODE_TYPES.ReturnStatement));
  const awaits = rest.some((s) =>
    containsOutsideFunctions(
      s,
      (n) => n.type === AST_NODE_TYPES.AwaitExpression || (n.type === AST_NODE_TYPES.ForOfStatement && n.await),
    ),
  );
  if ((returns || awaits) && !isFunctionBody) return undefined;
  const asyncPrefix = awaits ? 'async ' : '';
  const runHead = `${sourceCode.getText(instance)}.run(${sourceCode.getText(store)}, ${asyncPrefix}() =>`;

  let replacement: string;
  if (rest.length === 1 && last.type === AST_NODE_TYPES.ExpressionStatement && !hasCommentsBetween(sourceCode, statement, last)) {
    const expression = sourceCode.getText(last.expression);
    const body = last.expression.type === AST_NODE_TYPES.SequenceExpression ? `(${expression})` : expression;
    replacement = `${awaits ? 'return ' : ''}${runHead} ${body});`;
  } else if (
    rest.length === 1 &&
    last.type === AST_NODE_TYPES.ReturnStatement &&
    last.argument &&
    !hasCommentsBetween(sourceCode, statement, last)
  ) {
    const expression = sourceCode.getText(last.argument);
    const body = last.argument.type === AST_NODE_TYPES.SequenceExpression ? `(${expression})` : expression;
    replacement = `return ${runHead} ${body});`;
  } else {
    // Everything after the statement, comments included, moves verbatim into the arrow's body.
    const moved = sourceCode.text.slice(statement.range[1], last.range[1]);
    replacement = `${returns || awaits ? 'return ' : ''}${runHead} {${moved}\n${getIndent(sourceCode, statement)}});`;
  }
  return (fixer) => fixer.replaceTextRange([statement.range[0], last.range[1]], replacement);
}

function isHoistedOrUnmovable(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.FunctionDeclaration) return true;
  return containsOutsideFunctions(
    statement,
    (n) =>
      (n.type === AST_NODE_TYPES.VariableDeclaration && n.kind === 'var') ||
      n.type === AST_NODE_TYPES.YieldExpression ||
      ((n.type === AST_NODE_TYPES.BreakStatement || n.type === AST_NODE_TYPES.ContinueStatement) &&
        !hasTargetWithin(n, statement)),
  );
}

/** Whether a `break`/`continue` jumps to a loop, switch or label inside `root` (so it can move with it). */
function hasTargetWithin(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement, root: TSESTree.Node): boolean {
  for (let current: TSESTree.Node | undefined = jump.parent; current && current !== root.parent; current = current.parent) {
    if (jump.label) {
      if (current.type === AST_NODE_TYPES.LabeledStatement && current.label.name === jump.label.name) return true;
    } else if (
      current.type === AST_NODE_TYPES.ForStatement ||
      current.type === AST_NODE_TYPES.ForInStatement ||
      current.type === AST_NODE_TYPES.ForOfStatement ||
      current.type === AST_NODE_TYPES.WhileStatement ||
      current.type === AST_NODE_TYPES.DoWhileStatement ||
      (current.type === AST_NODE_TYPES.SwitchStatement && jump.type === AST_NODE_TYPES.BreakStatement)
    ) {
      return true;
    }
  }
  return false;
}

function hasCommentsBetween(sourceCode: Readonly<TSESLint.SourceCode>, from: TSESTree.Node, to: TSESTree.Node): boolean {
  return sourceCode.getCommentsInside(to).length > 0 || sourceCode.getCommentsAfter(from).length > 0;
}

function getIndent(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const line = sourceCode.lines[node.loc.start.line - 1] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}
