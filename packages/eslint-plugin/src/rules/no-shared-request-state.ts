import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { DefinitionKind } from '../utils/scope-kinds.js';
import { getAsyncContext } from '../utils/async-context.js';
import { getTypeServices, type TypeServices } from '../utils/type-services.js';
import { getEnclosingFunction, getParameterName, getStaticPropertyName, isFunctionNode, skipWrappers, type FunctionNode } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { getFrameworkObjectRole, getFrameworkParameters } from '../utils/request-objects.js';
import { DEFAULT_TEST_FILE_PATTERNS, isTestFile } from '../utils/test-files.js';
import { describeWrittenState, type SharedState } from './no-shared-request-state/shared-state.js';

export type Options = [{ names?: string[]; testFilePatterns?: string[] }];
export type MessageId = 'requestState' | 'threadedRequestState';

/** Names that carry a request's identity wherever they appear: the parameter or option that holds it. */
const DEFAULT_NAMES = ['requestId', 'reqId', 'request_id', 'correlationId', 'correlation_id'];
/** A parameter so named holds a request in any function; every value read from it is the request's. */
const REQUEST_PARAMETER_NAMES = new Set(['req', 'request']);
/** Koa's `ctx` outside a recognised middleware: these members are the request's side of it. */
const CONTEXT_REQUEST_MEMBERS = new Set([
  'request', 'req', 'headers', 'header', 'get', 'state', 'query', 'params', 'cookies', 'ip', 'ips',
  'path', 'url', 'originalUrl', 'method', 'host', 'hostname', 'body', 'session', 'user', 'id',
]);
/** NestJS parameter decorators that hand a controller method a part of the request. */
const NEST_REQUEST_DECORATORS = new Set(['Req', 'Request', 'Headers', 'Param', 'Query', 'Body', 'Ip', 'Session', 'HostParam']);
/** A test's own callbacks: a handler there that keeps `lastRequest` for an assertion is the test's design. */
const TEST_FUNCTIONS = new Set(['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll']);
/** How many local variables deep a value is followed back to the request (`const a = req.x; const b = a`). */
const MAX_DEPTH = 5;

/** A request's value; `parameter` names the context-named parameter it arrived by, if it did. */
interface RequestSource {
  parameter?: string;
}

export default createRule<Options, MessageId>({
  name: 'no-shared-request-state',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow keeping a request’s values in module-level, static or global state that other code reads',
      recommended: 'recommended',
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
            description: `Names of parameters and option properties that hold a request's value wherever they appear; state whose name contains one is taken to hold one. Default: ${DEFAULT_NAMES.map((name) => `\`${name}\``).join(', ')}.`,
          },
          testFilePatterns: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Regular expressions for test files, matched against the file path relative to the working directory; they are not checked. Default: `*.test.*`, `*.spec.*`, test-runner setup files, and files under `test/`, `tests/`, `__tests__/`, `__mocks__/`, `e2e/`.',
          },
        },
      },
    ],
    messages: {
      requestState:
        '{{ target }} is shared by every request, and this writes a value of this request into it (`{{ value }}`) that is read {{ where }}. Another request can overwrite it between this write and that read, which then sees the other request’s value. Keep the value in the request’s context instead: a `createContext()` from `@unthread/context`, filled once per request by its framework middleware (`@unthread/context/express`, `/koa`, `/fastify`, `/hono`, `/hapi`, or the NestJS module `/nest`), read with `.get()`.',
      threadedRequestState:
        '{{ target }} is shared by every request, and this writes a value of this request into it (`{{ value }}`) that is read {{ where }}. Another request can overwrite it between this write and that read, which then sees the other request’s value. Keep the value in the request’s context instead: a `createContext()` from `@unthread/context`, filled once per request by its framework middleware, read with `.get()`; `npx unthread --param {{ parameter }}` moves the `{{ parameter }}` parameter into that context along its whole call chain.',
    },
  },
  defaultOptions: [{ names: DEFAULT_NAMES, testFilePatterns: [...DEFAULT_TEST_FILE_PATTERNS] }],
  create(context, [{ names = DEFAULT_NAMES, testFilePatterns = [...DEFAULT_TEST_FILE_PATTERNS] }]) {
    const { sourceCode } = context;
    // Made on the first question: most files write no shared state at all.
    let contextNameSet: Set<string> | undefined;
    const isContextName = (name: string): boolean => (contextNameSet ??= new Set(names)).has(name);
    // Asked only when a write into shared state has a request value: most files have neither.
    let types: TypeServices | undefined;
    let typesAsked = false;
    const typeServices = (): TypeServices | undefined => {
      if (!typesAsked) {
        typesAsked = true;
        types = getTypeServices(context);
      }
      return types;
    };
    const frameworkParameters = new WeakMap<FunctionNode, ReturnType<typeof getFrameworkParameters>>();

    function rolesOf(fn: FunctionNode): ReturnType<typeof getFrameworkParameters> {
      let roles = frameworkParameters.get(fn);
      if (!roles) {
        roles = getFrameworkParameters(fn);
        frameworkParameters.set(fn, roles);
      }
      return roles;
    }

    /** The parameter of `fn` whose pattern declares `name` (`req`, `{ headers }`, `req = {}`). */
    function findParameter(fn: FunctionNode, name: TSESTree.Node): TSESTree.Parameter | undefined {
      return fn.params.find((parameter) => name.range[0] >= parameter.range[0] && name.range[1] <= parameter.range[1]);
    }

    /** The parameter holds the request (or a context holding it), or is a part of it handed over. */
    function isRequestParameter(fn: FunctionNode, parameter: TSESTree.Parameter, name: TSESTree.Identifier): boolean {
      const role = rolesOf(fn).get(parameter);
      if (role === 'request' || role === 'context') return true;
      // `req`, `req = {}`, but not `{ req }` destructured from something else.
      if (getParameterName(parameter) === name.name && REQUEST_PARAMETER_NAMES.has(name.name)) return true;
      const decorated = parameter.type === AST_NODE_TYPES.TSParameterProperty ? parameter.parameter : parameter;
      if (decorated.decorators?.some((decorator) => NEST_REQUEST_DECORATORS.has(getDecoratorName(decorator) ?? ''))) return true;
      // The checker last: a typed handler whose parameters have other names (`(incoming: Request) => ...`).
      const services = typeServices();
      const type = services?.getType(name);
      const typedRole = type ? getFrameworkObjectRole(services!.checker, type) : undefined;
      return typedRole === 'request' || typedRole === 'context';
    }

    /** What in `input` makes it a value of the current request, or undefined if nothing does. */
    function getRequestSource(input: TSESTree.Node, depth: number): RequestSource | undefined {
      if (depth > MAX_DEPTH) return undefined;
      const node = skipWrappers(input);
      switch (node.type) {
        case AST_NODE_TYPES.Identifier:
          return getIdentifierSource(node, depth);
        case AST_NODE_TYPES.MemberExpression:
          return getMemberSource(node, depth);
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          return firstSource([node.callee, ...node.arguments], depth);
        case AST_NODE_TYPES.TemplateLiteral:
          return firstSource(node.expressions, depth);
        case AST_NODE_TYPES.BinaryExpression:
        case AST_NODE_TYPES.LogicalExpression:
          return firstSource([node.left, node.right], depth);
        case AST_NODE_TYPES.ConditionalExpression:
          return firstSource([node.consequent, node.alternate], depth);
        case AST_NODE_TYPES.AwaitExpression:
        case AST_NODE_TYPES.UnaryExpression:
        case AST_NODE_TYPES.SpreadElement:
          return getRequestSource(node.argument, depth);
        case AST_NODE_TYPES.AssignmentExpression:
          return getRequestSource(node.right, depth);
        case AST_NODE_TYPES.SequenceExpression:
          return node.expressions.length > 0 ? getRequestSource(node.expressions.at(-1)!, depth) : undefined;
        case AST_NODE_TYPES.ArrayExpression:
          return firstSource(node.elements.filter((element) => element !== null), depth);
        case AST_NODE_TYPES.ObjectExpression:
          return firstSource(
            node.properties.map((property) => (property.type === AST_NODE_TYPES.Property ? property.value : property)),
            depth,
          );
        default:
          return undefined;
      }
    }

    function firstSource(nodes: readonly TSESTree.Node[], depth: number): RequestSource | undefined {
      for (const node of nodes) {
        const source = getRequestSource(node, depth);
        if (source) return source;
      }
      return undefined;
    }

    function getIdentifierSource(node: TSESTree.Identifier, depth: number): RequestSource | undefined {
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
      const definition = variable?.defs[0];
      if (!variable || !definition) return undefined;
      if (definition.type === DefinitionKind.Parameter && isFunctionNode(definition.node)) {
        const parameter = findParameter(definition.node, definition.name);
        if (parameter && isRequestParameter(definition.node, parameter, definition.name as TSESTree.Identifier)) return {};
        // `function configure(client, correlationId)`: the request's id, handed down by hand.
        if (isContextName(node.name)) return parameter && getParameterName(parameter) === node.name ? { parameter: node.name } : {};
        return undefined;
      }
      // A local made from the request: `const id = req.headers['x-id']`, `const { correlationId } = options`.
      if (
        definition.type === DefinitionKind.Variable &&
        definition.node.init &&
        variable.scope.block.type !== AST_NODE_TYPES.Program
      ) {
        const init = definition.node.init;
        if (definition.node.id.type !== AST_NODE_TYPES.Identifier && isContextName(node.name) && isRootedInParameter(init)) return {};
        return getRequestSource(init, depth + 1);
      }
      return undefined;
    }

    function getMemberSource(node: TSESTree.MemberExpression, depth: number): RequestSource | undefined {
      const name = getStaticPropertyName(node);
      const object = skipWrappers(node.object);
      // `ctx.get('x-id')`, `ctx.state.user` of a `ctx` parameter outside a recognised middleware.
      if (object.type === AST_NODE_TYPES.Identifier && object.name === 'ctx' && name !== undefined && CONTEXT_REQUEST_MEMBERS.has(name)) {
        if (isParameter(object)) return {};
      }
      // `options.correlationId`: an option that carries the request's id.
      if (name !== undefined && isContextName(name) && isRootedInParameter(object)) return {};
      if (node.computed && getRequestSource(node.property, depth)) return {};
      return getRequestSource(object, depth);
    }

    /**
     * State named after a request id (`let correlationId`, `config.requestId`), written with a value
     * handed in from outside: `function setCorrelationId(id) { correlationId = id; }`. The name says
     * what the value is even where the caller that reads it from the request is in another file.
     */
    function getNamedTargetSource(write: TSESTree.AssignmentExpression, fn: FunctionNode): RequestSource | undefined {
      let target = skipWrappers(write.left);
      const name = target.type === AST_NODE_TYPES.Identifier ? target.name : target.type === AST_NODE_TYPES.MemberExpression ? getStaticPropertyName(target) : undefined;
      if (name === undefined || !namesContextValue(name)) return undefined;
      target = skipWrappers(write.right);
      while (target.type === AST_NODE_TYPES.MemberExpression) target = skipWrappers(target.object);
      if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
      const definition = ASTUtils.findVariable(sourceCode.getScope(target), target)?.defs[0];
      return definition?.type === DefinitionKind.Parameter && definition.node === fn ? {} : undefined;
    }

    function namesContextValue(name: string): boolean {
      const normalised = name.toLowerCase().replaceAll('_', '');
      return names.some((contextName) => normalised.includes(contextName.toLowerCase().replaceAll('_', '')));
    }

    function isParameter(identifier: TSESTree.Identifier): boolean {
      return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier)?.defs[0]?.type === DefinitionKind.Parameter;
    }

    function isRootedInParameter(input: TSESTree.Node): boolean {
      let node = skipWrappers(input);
      while (node.type === AST_NODE_TYPES.MemberExpression) node = skipWrappers(node.object);
      return node.type === AST_NODE_TYPES.Identifier && isParameter(node);
    }

    // Names declared at module level, and the process-wide objects: a write whose root has another
    // name (a local, a parameter) is skipped before any scope lookup.
    let moduleNames: Set<string> | undefined;
    function mayBeShared(left: TSESTree.Node): boolean {
      let root = skipWrappers(left);
      while (root.type === AST_NODE_TYPES.MemberExpression) root = skipWrappers(root.object);
      if (root.type === AST_NODE_TYPES.ThisExpression) return true;
      if (root.type !== AST_NODE_TYPES.Identifier) return false;
      moduleNames ??= collectModuleNames(sourceCode);
      return moduleNames.has(root.name);
    }

    return {
      AssignmentExpression(node) {
        // `+=` and `++` are counters; `??=` and `||=` initialise once: neither is a request's value.
        if (node.operator !== '=' || !mayBeShared(node.left)) return;
        const fn = getEnclosingFunction(node);
        // At module level the write runs once, at start-up.
        if (!fn) return;
        const state = describeWrittenState(sourceCode, node.left, fn);
        if (!state) return;
        if (mentionsState(sourceCode, node.right, state) || isGuardedByState(sourceCode, node, fn, state)) return;
        const source = getRequestSource(node.right, 0) ?? getNamedTargetSource(node, fn);
        if (!source) return;
        if (isInTestCallback(fn) || isStoreOfEnclosingRun(node, state)) return;
        // A test's mock server that keeps the last request for its assertions is the test's design.
        // Asked last: nearly no file gets this far, and the answer costs a path.relative per file.
        if (isTestFile(context, testFilePatterns)) return;
        const where = state.findReadElsewhere(node, fn);
        if (!where) return;
        const data = { target: state.text, value: shorten(sourceCode.getText(node.right)), where };
        if (source.parameter === undefined) context.report({ node, messageId: 'requestState', data });
        else context.report({ node, messageId: 'threadedRequestState', data: { ...data, parameter: source.parameter } });
      },
    };

    /** `als.run(store, () => { store.user = req.user })`: the store the code owns, filled inside its run. */
    function isStoreOfEnclosingRun(node: TSESTree.Node, state: SharedState): boolean {
      if (!state.variable) return false;
      const asyncContext = getAsyncContext(context);
      for (let current = node.parent; current; current = current.parent) {
        if (current.type !== AST_NODE_TYPES.CallExpression) continue;
        const callback = asyncContext.getRunCallback(current);
        const [store] = current.arguments;
        if (
          callback &&
          store?.type === AST_NODE_TYPES.Identifier &&
          ASTUtils.findVariable(sourceCode.getScope(store), store) === state.variable
        ) {
          return true;
        }
      }
      return false;
    }
  },
});

const PROCESS_WIDE_NAMES = ['global', 'globalThis', 'window', 'process', 'module', 'exports'];

function collectModuleNames(sourceCode: Readonly<TSESLint.SourceCode>): Set<string> {
  const names = new Set(PROCESS_WIDE_NAMES);
  const global = sourceCode.scopeManager?.globalScope;
  // The global scope, and the module or CommonJS function scope whose block is the Program.
  for (const scope of global ? [global, ...global.childScopes] : []) {
    if (scope.block.type !== AST_NODE_TYPES.Program) continue;
    for (const variable of scope.variables) names.add(variable.name);
  }
  return names;
}

function getDecoratorName(decorator: TSESTree.Decorator): string | undefined {
  const expression = decorator.expression.type === AST_NODE_TYPES.CallExpression ? decorator.expression.callee : decorator.expression;
  return expression.type === AST_NODE_TYPES.Identifier ? expression.name : undefined;
}

/** Whether `input` reads the written state itself: `count = count + 1`, `x = x || req.id`. */
function mentionsState(sourceCode: Readonly<TSESLint.SourceCode>, input: TSESTree.Node, state: SharedState): boolean {
  const stack: TSESTree.Node[] = [input];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node)) continue;
    if ((node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.MemberExpression) && state.isSameState(sourceCode, node)) {
      return true;
    }
    for (const [key, value] of Object.entries(node)) {
      // `x.count` and `{ count: 1 }` name a property, not the variable `count`.
      if (key === 'parent' || (key === 'property' && !(node as TSESTree.MemberExpression).computed)) continue;
      if (key === 'key' && node.type === AST_NODE_TYPES.Property && !node.computed) continue;
      for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (isNode(child)) stack.push(child);
      }
    }
  }
  return false;
}

/**
 * A lazily initialised singleton: the write sits under a test of the state itself (`if (!client)`,
 * `x ? … : (x = …)`, `x || (x = …)`), or follows `if (x) return x;` in its function.
 */
function isGuardedByState(
  sourceCode: Readonly<TSESLint.SourceCode>,
  write: TSESTree.AssignmentExpression,
  fn: FunctionNode,
  state: SharedState,
): boolean {
  let child: TSESTree.Node = write;
  for (let current: TSESTree.Node | undefined = write.parent; current && current !== fn; child = current, current = current.parent) {
    if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression) && child !== current.test) {
      if (mentionsState(sourceCode, current.test, state)) return true;
    }
    if (current.type === AST_NODE_TYPES.LogicalExpression && child === current.right && mentionsState(sourceCode, current.left, state)) {
      return true;
    }
    if (current.type === AST_NODE_TYPES.BlockStatement) {
      for (const statement of current.body) {
        if (statement === child) break;
        if (statement.type === AST_NODE_TYPES.IfStatement && exits(statement.consequent) && mentionsState(sourceCode, statement.test, state)) {
          return true;
        }
      }
    }
  }
  return false;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  return statement.type === AST_NODE_TYPES.BlockStatement && statement.body.length > 0 && exits(statement.body.at(-1)!);
}

function isInTestCallback(fn: FunctionNode): boolean {
  for (let current: TSESTree.Node | undefined = fn; current; current = current.parent) {
    if (!isFunctionNode(current) || current.parent?.type !== AST_NODE_TYPES.CallExpression) continue;
    let callee = skipWrappers(current.parent.callee);
    while (callee.type === AST_NODE_TYPES.MemberExpression) callee = skipWrappers(callee.object);
    while (callee.type === AST_NODE_TYPES.CallExpression) callee = skipWrappers(callee.callee);
    if (callee.type === AST_NODE_TYPES.Identifier && TEST_FUNCTIONS.has(callee.name)) return true;
  }
  return false;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/gu, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
