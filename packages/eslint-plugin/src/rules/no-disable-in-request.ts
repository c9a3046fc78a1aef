import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';
import { DEFAULT_TEST_FILE_PATTERNS, isTestFile } from '../utils/test-files.js';

export type Options = [{ shutdownFunctions?: string[]; testFilePatterns?: string[] }];
export type MessageId = 'disableInRequest';

/** Words that name a shutdown, teardown or lifecycle-end function: `shutdown`, `onModuleDestroy`, `close`. */
const SHUTDOWN_WORDS = new Set([
  'shutdown',
  'teardown',
  'dispose',
  'destroy',
  'cleanup',
  'close',
  'stop',
  'reset',
  'disable',
  'terminate',
  'unregister',
  'quit',
  'exit',
  'finalize',
  'uninstall',
  'unload',
  'unmount',
]);

/** Test-framework hooks and cases: anything inside them is test code. */
const TEST_FUNCTIONS = new Set([
  'after',
  'afterAll',
  'afterEach',
  'before',
  'beforeAll',
  'beforeEach',
  'describe',
  'it',
  'suite',
  'setup',
  'teardown',
  'test',
]);

/** `process.on('SIGTERM', ...)` and the other events a process ends with. */
const SHUTDOWN_EVENTS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'beforeExit', 'exit', 'close']);

export default createRule<Options, MessageId>({
  name: 'no-disable-in-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `AsyncLocalStorage#disable()` outside shutdown and test code',
      recommended: 'recommended',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          shutdownFunctions: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Names of further functions that run only at shutdown (exact names), beyond those whose name says so (`shutdown`, `close`, `onModuleDestroy`, ...).',
          },
          testFilePatterns: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Regular expressions for test files, matched against the file path relative to the working directory. Default: `*.test.*`, `*.spec.*` and files under `test/`, `tests/`, `__tests__/`, `__mocks__/`.',
          },
        },
      },
    ],
    messages: {
      disableInRequest:
        '`disable()` is not a way to end a request: on Node 20 and 22 it switches the instance off for every concurrent request; on Node 24 it clears only the current chain while others keep their store. Let `run()` end, or use `exit()`; call `disable()` only at shutdown or in tests.',
    },
  },
  defaultOptions: [{ shutdownFunctions: [], testFilePatterns: [...DEFAULT_TEST_FILE_PATTERNS] }],
  create(context, [{ shutdownFunctions = [], testFilePatterns = DEFAULT_TEST_FILE_PATTERNS }]) {
    // The text test first: it rules out nearly every file for the price of one search.
    if (!context.sourceCode.text.includes('disable')) return {};
    if (isTestFile(context, testFilePatterns)) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    const extraNames = new Set(shutdownFunctions);

    return {
      CallExpression(node) {
        const callee = skipWrappers(node.callee);
        // Cheap test first: only calls named disable reach the recogniser.
        if (callee.type !== AST_NODE_TYPES.MemberExpression || getStaticPropertyName(callee) !== 'disable') return;
        const call = asyncContext.getContextCall(node);
        if (call?.kind !== 'storage') return;
        if (isInShutdownOrTestCode(node, extraNames)) return;
        context.report({ node, messageId: 'disableInRequest' });
      },
    };
  },
});

function isInShutdownOrTestCode(node: TSESTree.Node, extraNames: ReadonlySet<string>): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (
      current.type !== AST_NODE_TYPES.FunctionDeclaration &&
      current.type !== AST_NODE_TYPES.FunctionExpression &&
      current.type !== AST_NODE_TYPES.ArrowFunctionExpression
    ) {
      continue;
    }
    const name = getFunctionName(current);
    if (name !== undefined && (extraNames.has(name) || namesShutdown(name))) return true;
    if (isShutdownOrTestCallback(current)) return true;
  }
  return false;
}

/** `function close()`, `close() {}`, `close: () => {}`, `const close = () => {}`, `[Symbol.dispose]() {}`. */
function getFunctionName(
  fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression,
): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition:
      if (parent.key.type === AST_NODE_TYPES.Identifier) return parent.key.name;
      if (parent.key.type === AST_NODE_TYPES.Literal) return String(parent.key.value);
      // `[Symbol.dispose]` and `[Symbol.asyncDispose]`.
      if (parent.key.type === AST_NODE_TYPES.MemberExpression) return getStaticPropertyName(parent.key);
      return undefined;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.left.type === AST_NODE_TYPES.MemberExpression
        ? getStaticPropertyName(parent.left)
        : parent.left.type === AST_NODE_TYPES.Identifier
          ? parent.left.name
          : undefined;
    default:
      return undefined;
  }
}

/** Splits camelCase, PascalCase and snake_case names into lower-case words and looks for one of ours. */
function namesShutdown(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/gu, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/u);
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const pair = word + (words[index + 1] ?? '');
    if (SHUTDOWN_WORDS.has(word) || SHUTDOWN_WORDS.has(pair)) return true;
  }
  return false;
}

/** A callback of `afterEach(...)`, `it(...)`, `process.on('SIGTERM', ...)` or `server.on('close', ...)`. */
function isShutdownOrTestCallback(
  fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression,
): boolean {
  const call = fn.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    return false;
  }
  let callee = skipWrappers(call.callee);
  // `it.each(...)(...)`, `test.skip(...)`, `describe.only(...)`.
  while (callee.type === AST_NODE_TYPES.CallExpression) callee = skipWrappers(callee.callee);
  while (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type !== AST_NODE_TYPES.ThisExpression) {
    const method = getStaticPropertyName(callee);
    if (method && ['on', 'once', 'addListener', 'prependListener'].includes(method)) {
      const [event] = call.arguments;
      return event?.type === AST_NODE_TYPES.Literal && typeof event.value === 'string' && SHUTDOWN_EVENTS.has(event.value);
    }
    // `server.close(() => ...)`, `app.onShutdown(() => ...)`.
    if (method && namesShutdown(method)) return true;
    callee = skipWrappers(callee.object);
  }
  return callee.type === AST_NODE_TYPES.Identifier && TEST_FUNCTIONS.has(callee.name);
}
