import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext, isCallOf } from '../utils/async-context.js';
import { getCalleeName, getStaticPropertyName, skipWrappers } from '../utils/ast.js';
import { getTypeServices, type TypeServices } from '../utils/type-services.js';
import { DefinitionKind } from '../utils/scope-kinds.js';
import { isFunctionNode } from '../utils/ast.js';
import { getFrameworkObjectRole, getFrameworkParameters, type FrameworkObjectRole } from '../utils/request-objects.js';

export type Options = [{ maxProperties?: number; allow?: string[] }];
export type MessageId = 'heavyValue' | 'heavyStore' | 'tooManyProperties';

const REQUEST = 'the request object';
const RESPONSE = 'the response object';
const REQUEST_CONTEXT = 'the request context (it holds the request and the response)';
/** Framework objects, found by a handler's parameter position or by type (utils/request-objects.ts). */
const FRAMEWORK_OBJECTS: Record<FrameworkObjectRole, string> = { request: REQUEST, response: RESPONSE, context: REQUEST_CONTEXT };
const SOCKET = 'a socket';
const SERVER = 'a server';
const BUFFER = 'a Buffer';
const CLIENT = 'a database client or pool';
const CONNECTION = 'a socket or connection';
const COLLECTION = 'a Map, Set or array that can grow';

/** Handler parameters by their conventional names; only parameters, never other variables. */
const PARAMETER_NAMES = new Map([
  ['req', REQUEST],
  ['request', REQUEST],
  ['res', RESPONSE],
  ['response', RESPONSE],
  ['reply', RESPONSE],
  ['socket', SOCKET],
]);
/** Siblings that make a parameter named `request` an HTTP request: a render or job request has none. */
const RESPONSE_PARAMETERS = new Set(['res', 'response', 'reply', 'h', 'socket']);
/** `ctx.req`, `request.raw`, `req.socket`... */
const MEMBER_NAMES = new Map([
  ['req', REQUEST],
  ['request', REQUEST],
  ['res', RESPONSE],
  ['response', RESPONSE],
  ['socket', SOCKET],
  ['connection', SOCKET],
]);
const CONSTRUCTED = new Map([
  ['Buffer', BUFFER],
  ['Server', SERVER],
  ['Socket', SOCKET],
  ['Pool', CLIENT],
  ['Client', CLIENT],
  ['PrismaClient', CLIENT],
  ['MongoClient', CLIENT],
  ['Redis', CLIENT],
  ['Sequelize', CLIENT],
]);
const FACTORIES = new Map([
  ['createServer', SERVER],
  ['createSecureServer', SERVER],
  ['connect', CONNECTION],
  ['createConnection', CONNECTION],
  ['createPool', CLIENT],
  ['createClient', CLIENT],
]);
const BUFFER_FACTORIES = new Set(['from', 'alloc', 'allocUnsafe', 'allocUnsafeSlow', 'concat']);
/** Type names (and their base types) the checker recognises with `recommended-type-checked`. */
const HEAVY_TYPES = new Map([
  ['IncomingMessage', REQUEST],
  ['Http2ServerRequest', REQUEST],
  ['FastifyRequest', REQUEST],
  ['ServerResponse', RESPONSE],
  ['Http2ServerResponse', RESPONSE],
  ['FastifyReply', RESPONSE],
  ['Socket', SOCKET],
  ['TLSSocket', SOCKET],
  ['Server', SERVER],
  ['Buffer', BUFFER],
  ['Pool', CLIENT],
  ['PoolClient', CLIENT],
  ['PoolConnection', CLIENT],
  ['Client', CLIENT],
  ['PrismaClient', CLIENT],
  ['MongoClient', CLIENT],
  ['Redis', CLIENT],
  ['Sequelize', CLIENT],
]);
const COLLECTION_TYPES = new Set(['Map', 'Set', 'Array']);

export default createRule<Options, MessageId>({
  name: 'no-large-store',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'Disallow stores that hold requests, responses, sockets, servers, clients, Buffers, growing collections or too many fields',
      recommended: 'strict',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxProperties: {
            type: 'integer',
            minimum: 1,
            description: 'The most properties an object-literal store may have.',
          },
          allow: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description:
              'Store property names (or variable names passed as the whole store) that may hold heavy objects on purpose, such as a transaction client scoped to one run.',
          },
        },
      },
    ],
    messages: {
      heavyValue:
        'Store property `{{ key }}` holds {{ what }}. A store lives as long as anything created inside its `run()` (timers, sockets, pending callbacks), and keeps this alive with it. Store the few values you read instead, or add `{{ key }}` to `allow` if it is scoped to this run.',
      heavyStore:
        'The store is {{ what }}. A store lives as long as anything created inside its `run()`, and keeps this alive with it. Store the few values you read instead.',
      tooManyProperties:
        'This store has {{ count }} properties (at most {{ max }}). Every `run()` copies or holds all of them for the whole async subtree; keep the store to the values you read.',
    },
  },
  defaultOptions: [{ maxProperties: 10, allow: [] }],
  create(context, [options]) {
    const { sourceCode } = context;
    // Cheapest test first: neither method name in the text, no store to check.
    if (!sourceCode.text.includes('run') && !sourceCode.text.includes('enterWith')) return {};
    const asyncContext = getAsyncContext(context);
    // Every finding is a call on an instance: none in a file that can hold no instance.
    if (!asyncContext.mayHoldInstances()) return {};
    const types = getTypeServices(context);
    const allowed = new Set(options.allow ?? []);
    const maxProperties = options.maxProperties ?? 10;

    function checkObject(object: TSESTree.ObjectExpression): void {
      const properties = object.properties.filter((p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property);
      if (properties.length > maxProperties) {
        context.report({
          node: object,
          messageId: 'tooManyProperties',
          data: { count: properties.length, max: maxProperties },
        });
      }
      for (const property of properties) {
        const key = getPropertyKey(property);
        if (key === undefined || allowed.has(key)) continue;
        const what = describeHeavy(sourceCode, property.value, types, true);
        if (what) context.report({ node: property, messageId: 'heavyValue', data: { key, what } });
      }
    }

    return {
      CallExpression(node) {
        // Cheap test first: only calls named run or enterWith reach the recogniser.
        if (!isCallOf(node, 'run') && !isCallOf(node, 'enterWith')) return;
        const call = asyncContext.getContextCall(node);
        if (call?.method !== 'run' && !(call?.kind === 'storage' && call.method === 'enterWith')) return;
        const [argument] = node.arguments;
        if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return;
        const store = skipWrappers(argument);
        if (store.type === AST_NODE_TYPES.Identifier && allowed.has(store.name)) return;
        if (store.type === AST_NODE_TYPES.ObjectExpression) {
          checkObject(store);
          return;
        }
        const what = describeHeavy(sourceCode, store, types, false);
        if (what) {
          context.report({ node: argument, messageId: 'heavyStore', data: { what } });
          return;
        }
        // A store built just above: `const store = { ... }; als.run(store, fn)`.
        const literal = getLocalObjectLiteral(sourceCode, store);
        if (literal) checkObject(literal);
      },
    };
  },
});

function getPropertyKey(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  if (property.key.type === AST_NODE_TYPES.Literal) return String(property.key.value);
  return undefined;
}

function getLocalObjectLiteral(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): TSESTree.ObjectExpression | undefined {
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const definition = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
  if (definition?.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return undefined;
  const init = skipWrappers(definition.node.init);
  return init.type === AST_NODE_TYPES.ObjectExpression ? init : undefined;
}

/**
 * What heavy thing `input` is, or undefined. Syntax first (names of handler parameters, constructors
 * and factories, also through a `const` in this file); the checker only when the config asked for it
 * and the syntax said nothing. Collections count only inside a store object: a per-run `Map` as the
 * whole store is the documented pattern.
 */
function describeHeavy(
  sourceCode: Readonly<TSESLint.SourceCode>,
  input: TSESTree.Node,
  types: TypeServices | undefined,
  isPropertyValue: boolean,
): string | undefined {
  const node = skipWrappers(input);
  const syntactic = describeHeavySyntax(sourceCode, node, isPropertyValue, 0);
  if (syntactic || !types) return syntactic;
  const type = types.getType(node);
  return type ? describeHeavyType(types.checker, type, isPropertyValue) : undefined;
}

function describeHeavySyntax(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  isPropertyValue: boolean,
  depth: number,
): string | undefined {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier: {
      const definition = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
      if (definition?.type === DefinitionKind.Parameter) {
        // `request` alone names render, job and RPC requests too: an HTTP one comes with its response.
        if (node.name === 'request' && !hasResponseParameter(definition.node)) return undefined;
        // `(req, res)` anywhere by name; `(ctx, next)`, `(c)`, `(incoming, outgoing)` by position in a
        // registered handler or middleware (`app.use(fn)`, `router.get(path, fn)`).
        const named = PARAMETER_NAMES.get(node.name);
        if (named || !isFunctionNode(definition.node)) return named;
        const parameter = definition.node.params.find((p) => p === definition.name || (p.type === AST_NODE_TYPES.AssignmentPattern && p.left === definition.name));
        const role = parameter ? getFrameworkParameters(definition.node).get(parameter) : undefined;
        return role ? FRAMEWORK_OBJECTS[role] : undefined;
      }
      // `const pool = new Pool()` and later `{ pool }`: follow one const in this file.
      if (depth === 0 && definition?.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init) {
        return describeHeavySyntax(sourceCode, skipWrappers(definition.node.init), isPropertyValue, depth + 1);
      }
      return undefined;
    }
    case AST_NODE_TYPES.MemberExpression: {
      const name = getStaticPropertyName(node);
      if (name === 'raw' && node.object.type === AST_NODE_TYPES.Identifier && PARAMETER_NAMES.get(node.object.name) === REQUEST) {
        return REQUEST;
      }
      return name === undefined ? undefined : MEMBER_NAMES.get(name);
    }
    case AST_NODE_TYPES.ArrayExpression:
      return isPropertyValue && node.elements.length === 0 ? COLLECTION : undefined;
    case AST_NODE_TYPES.NewExpression: {
      const name = getCalleeName(node.callee);
      if (isPropertyValue && (name === 'Map' || name === 'Set' || name === 'Array')) return COLLECTION;
      const constructed = name === undefined ? undefined : CONSTRUCTED.get(name);
      if (constructed || depth > 0) return constructed;
      // `new RequestContext(req, res)`: an object made to hold the request holds it as a field would.
      for (const argument of node.arguments) {
        const held = describeHeavySyntax(sourceCode, skipWrappers(argument), false, depth + 1);
        if (held === REQUEST || held === RESPONSE || held === SOCKET) return `${name ? `a \`${name}\`` : 'an object'} holding ${held}`;
      }
      return undefined;
    }
    case AST_NODE_TYPES.AwaitExpression:
      return describeHeavySyntax(sourceCode, skipWrappers(node.argument), isPropertyValue, depth);
    case AST_NODE_TYPES.CallExpression: {
      const name = getCalleeName(node.callee);
      if (name === undefined) return undefined;
      const callee = node.callee;
      if (
        callee.type === AST_NODE_TYPES.MemberExpression &&
        callee.object.type === AST_NODE_TYPES.Identifier &&
        callee.object.name === 'Buffer' &&
        BUFFER_FACTORIES.has(name)
      ) {
        return BUFFER;
      }
      return FACTORIES.get(name);
    }
    default:
      return undefined;
  }
}

/** The function whose parameter `definitionNode` is also takes a response-like parameter. */
function hasResponseParameter(definitionNode: TSESTree.Node): boolean {
  if (
    definitionNode.type !== AST_NODE_TYPES.ArrowFunctionExpression &&
    definitionNode.type !== AST_NODE_TYPES.FunctionDeclaration &&
    definitionNode.type !== AST_NODE_TYPES.FunctionExpression
  ) {
    return false;
  }
  return definitionNode.params.some((param) => param.type === AST_NODE_TYPES.Identifier && RESPONSE_PARAMETERS.has(param.name));
}

/** The type, or a class or interface it extends, has a heavy name. */
function describeHeavyType(checker: ts.TypeChecker, type: ts.Type, isPropertyValue: boolean): string | undefined {
  // Koa's and Hono's Context, hapi's Request, Express's Request and Response, Fastify's: by the
  // package that declares them, since their names alone are too common.
  const role = getFrameworkObjectRole(checker, type);
  if (role) return FRAMEWORK_OBJECTS[role];
  const queue: ts.Type[] = type.isUnion() ? [...type.types] : [type];
  const seen = new Set<ts.Type>();
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (seen.has(current) || seen.size > 20) continue;
    seen.add(current);
    const name = (current.aliasSymbol ?? current.getSymbol())?.getName();
    if (name !== undefined) {
      const heavy = HEAVY_TYPES.get(name);
      if (heavy) return heavy;
      if (isPropertyValue && COLLECTION_TYPES.has(name)) return COLLECTION;
    }
    if (current.isClassOrInterface()) queue.push(...(checker.getBaseTypes(current) ?? []));
    const target = (current as ts.TypeReference).target as ts.Type | undefined;
    if (target && target !== current) queue.push(target);
  }
  return undefined;
}
