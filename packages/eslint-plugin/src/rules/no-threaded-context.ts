import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { type AsyncContext, getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';
import { DefinitionKind } from '../utils/scope-kinds.js';

export type Options = [{ names?: string[] }];
export type MessageId = 'threaded';

const DEFAULT_NAMES = ['requestId', 'reqId', 'request_id', 'correlationId'];

/** Methods that put a value INTO async context: passing the parameter there is the fix, not threading. */
const CONTEXT_ENTRY_METHODS = new Set(['run', 'enterWith', 'withScope']);

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

export default createRule<Options, MessageId>({
  name: 'no-threaded-context',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow parameters that only carry request context on to other calls',
      recommended: 'strict',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          names: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: `Parameter names that carry context. Default: ${DEFAULT_NAMES.map((name) => `\`${name}\``).join(', ')}.`,
          },
        },
      },
    ],
    messages: {
      threaded:
        '`{{ name }}` is only passed on to other calls: it is context threaded through parameters. Read it from async context where it is used; `npx unthread` migrates the whole call chain.',
    },
  },
  defaultOptions: [{ names: DEFAULT_NAMES }],
  create(context, [{ names = DEFAULT_NAMES }]) {
    const { sourceCode } = context;
    if (!names.some((name) => sourceCode.text.includes(name))) return {};
    const contextNames = new Set(names);
    const asyncContext = getAsyncContext(context);

    function check(fn: FunctionNode): void {
      // A declaration without a body (overloads, `declare`) passes nothing on.
      if (!fn.body) return;
      // An inline callback's parameters come from whoever calls it back (`ids.forEach((requestId) =>
      // ...)`, `.then((requestId) => ...)`): the value is born there, as a loop variable is.
      if (isInlineCallback(fn)) return;
      for (const variable of sourceCode.getDeclaredVariables(fn)) {
        if (!contextNames.has(variable.name)) continue;
        const definition = variable.defs[0];
        if (definition?.type !== DefinitionKind.Parameter) continue;
        const uses = variable.references.filter((reference) => !reference.init);
        if (uses.length === 0) continue;
        const otherParameters = new Set(
          sourceCode.getDeclaredVariables(fn).filter((other) => other !== variable && other.defs[0]?.type === DefinitionKind.Parameter),
        );
        if (!uses.every((reference) => isPassedOn(asyncContext, sourceCode, reference, otherParameters))) continue;
        // The name only: in TypeScript the identifier's range also spans its type annotation.
        const { start } = definition.name.loc;
        context.report({
          loc: { start, end: { line: start.line, column: start.column + variable.name.length } },
          messageId: 'threaded',
          data: { name: variable.name },
        });
      }
    }

    return {
      FunctionDeclaration: check,
      FunctionExpression: check,
      ArrowFunctionExpression: check,
    };
  },
});

function isInlineCallback(fn: FunctionNode): boolean {
  let node: TSESTree.Node = fn;
  while (node.parent && isTypeWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  return (
    (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(node as TSESTree.CallExpressionArgument)
  );
}

function isTypeWrapper(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.TSAsExpression || node.type === AST_NODE_TYPES.TSSatisfiesExpression;
}

/**
 * `next(requestId)`, `new Job(requestId)` or `log({ requestId })`: the value goes, unchanged, into
 * another call's arguments. Handing it to `run()`/`enterWith()` is putting it into context: not
 * threading.
 */
function isPassedOn(
  asyncContext: AsyncContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  reference: TSESLint.Scope.Reference,
  otherParameters: ReadonlySet<TSESLint.Scope.Variable>,
): boolean {
  if (reference.isWrite()) return false;
  let value: TSESTree.Node = reference.identifier;
  // `{ requestId }` or `{ requestId: requestId }` inside an argument. Under another key
  // (`{ request_seq: requestId }`) it has become a field of a message: used, not passed on.
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === value && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    if (parent.computed || parent.key.type !== AST_NODE_TYPES.Identifier || parent.key.name !== reference.identifier.name) {
      return false;
    }
    value = parent.parent;
  }
  const call = value.parent;
  if (
    (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) ||
    !call.arguments.includes(value as TSESTree.CallExpressionArgument)
  ) {
    return false;
  }
  if (call.type === AST_NODE_TYPES.NewExpression) return true;
  return (
    !isContextEntry(asyncContext, call, value) &&
    !isWriteIntoParameter(sourceCode, call, otherParameters) &&
    !isSink(call)
  );
}

/**
 * Methods that store or send a value: `queue.push({ requestId })`, `headers.set('x-request-id', requestId)`,
 * `socket.write(requestId)`. The value ends there, it is not handed down a chain of calls.
 */
const SINK_METHODS = new Set(['push', 'unshift', 'set', 'add', 'append', 'emit', 'send', 'write', 'end', 'postMessage', 'setHeader', 'header']);

function isSink(call: TSESTree.CallExpression): boolean {
  const callee = skipWrappers(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && SINK_METHODS.has(getStaticPropertyName(callee) ?? '');
}

/**
 * `res.setHeader('x-request-id', requestId)` in `(res, requestId) => ...`: the value is written into an
 * object the caller handed over (a response, a logger). That is where the value is used, the end of
 * the line rather than a link in a chain (found linting cls-rtracer, see docs/real-code.md).
 */
function isWriteIntoParameter(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression,
  otherParameters: ReadonlySet<TSESLint.Scope.Variable>,
): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  let object = skipWrappers(callee.object);
  while (object.type === AST_NODE_TYPES.MemberExpression) object = skipWrappers(object.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(sourceCode.getScope(object), object);
  return variable !== null && otherParameters.has(variable);
}

function isContextEntry(asyncContext: AsyncContext, call: TSESTree.CallExpression, argument: TSESTree.Node): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = getStaticPropertyName(callee);
  if (method === undefined || !CONTEXT_ENTRY_METHODS.has(method)) return false;
  if (asyncContext.getContextCall(call)) return true;
  // An instance from a package or a factory is invisible without types; `x.run({ requestId }, fn)` has
  // the shape of a store entering context all the same.
  return argument.type === AST_NODE_TYPES.ObjectExpression && call.arguments[0] === argument;
}
