import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext } from '../utils/async-context.js';
import { namesContextModules } from '../utils/async-context-model.js';

export type Options = [{ allowInstanceFields?: boolean }];
export type MessageId = 'perCall' | 'perInstance';

/** How often the code around a construction runs. */
type Placement = 'module' | 'function' | 'instance';

export default createRule<Options, MessageId>({
  name: 'no-storage-per-call',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow creating an AsyncLocalStorage or a context anywhere but once, at module scope',
      recommended: 'recommended',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowInstanceFields: {
            type: 'boolean',
            description:
              'Allow instances made per class instance (class fields, constructors), for classes built once such as DI singletons.',
          },
        },
      },
    ],
    messages: {
      perCall:
        '{{ what }} runs on every call here: instances are never freed unless disabled, and every live one slows all later context switches. Create it once at module scope.',
      perInstance:
        '{{ what }} runs for every instance of this class: instances are never freed unless disabled. Create it once at module scope or in a static field.',
    },
  },
  defaultOptions: [{ allowInstanceFields: false }],
  create(context, [{ allowInstanceFields }]) {
    // Cheapest test first: neither constructor named in the text, nothing is created.
    const { text } = context.sourceCode;
    if (!text.includes('AsyncLocalStorage') && !text.includes('createContext')) return {};
    // Constructions are found through the module references only: a file that names neither module
    // (it uses an instance made elsewhere) has none, and its model need not be built for this rule.
    if (!namesContextModules(text)) return {};
    const asyncContext = getAsyncContext(context);
    return {
      // All constructions are known once per file, so one visit of the Program is enough.
      Program() {
        for (const { node, kind } of asyncContext.constructions) {
          const placement = getPlacement(node);
          if (placement === 'module' || (placement === 'instance' && allowInstanceFields === true)) continue;
          context.report({
            node,
            messageId: placement === 'instance' ? 'perInstance' : 'perCall',
            data: { what: kind === 'storage' ? '`new AsyncLocalStorage()`' : '`createContext()`' },
          });
        }
      },
    };
  },
});

function getPlacement(node: TSESTree.Node): Placement {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (isImmediatelyInvoked(current)) break; // runs once, where it stands
        // A bundle's module factory runs once per process, as the module it was built from did.
        if (isModuleFactory(current)) return 'module';
        if (current.parent.type === AST_NODE_TYPES.MethodDefinition && current.parent.kind === 'constructor') {
          return 'instance';
        }
        return 'function';
      case AST_NODE_TYPES.AssignmentExpression:
        // `holder ??= new AsyncLocalStorage()`: made on the first call only, then reused.
        if (current.right === child && isOnceAssignment(current)) return 'module';
        break;
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
        // A static field runs once with the class; an instance field with every `new`.
        if (current.value === child && !current.static) return 'instance';
        break;
      default:
        break;
    }
  }
  return 'module';
}

function isImmediatelyInvoked(
  fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression,
): boolean {
  const parent = fn.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === fn;
}

/**
 * `x ??= <made>`, `x ||= <made>`, and `x ?? (x = <made>)` / `x || (x = <made>)`: the holder is
 * assigned once, on the first call, and every later call reuses it.
 */
function isOnceAssignment(assignment: TSESTree.AssignmentExpression): boolean {
  if (assignment.operator === '??=' || assignment.operator === '||=') return true;
  const parent = assignment.parent;
  return (
    assignment.operator === '=' &&
    parent.type === AST_NODE_TYPES.LogicalExpression &&
    (parent.operator === '??' || parent.operator === '||') &&
    parent.right === assignment &&
    sameTarget(parent.left, assignment.left)
  );
}

/** `x` and `x`, `globalThis[KEY]` and `globalThis[KEY]`, `this.als` and `this.als`. */
function sameTarget(a: TSESTree.Node, b: TSESTree.Node): boolean {
  if (a.type === AST_NODE_TYPES.Identifier && b.type === AST_NODE_TYPES.Identifier) return a.name === b.name;
  if (a.type === AST_NODE_TYPES.ThisExpression) return b.type === AST_NODE_TYPES.ThisExpression;
  if (a.type === AST_NODE_TYPES.Literal && b.type === AST_NODE_TYPES.Literal) return a.value === b.value;
  if (a.type !== AST_NODE_TYPES.MemberExpression || b.type !== AST_NODE_TYPES.MemberExpression) return false;
  return a.computed === b.computed && sameTarget(a.property, b.property) && sameTarget(a.object, b.object);
}

/** The parameter names bundlers give a module's factory: webpack, Turbopack, ncc, Rollup's CommonJS. */
const FACTORY_PARAMETERS = new Set([
  'module',
  'exports',
  'require',
  '__unused_webpack_module',
  '__webpack_module__',
  '__webpack_exports__',
  '__webpack_require__',
  '__nccwpck_require__',
  '__turbopack_context__',
  '__turbopack_require__',
]);

/**
 * A bundle's wrapper around one source module: a function whose parameters are named as bundlers name
 * them (two or more of module / exports / require and their webpack spellings), or the value of a
 * property keyed by a module id or path (`123: (e, t, r) => ...`, `"src/context.ts"() {...}`).
 */
function isModuleFactory(fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): boolean {
  const named = fn.params.filter((param) => param.type === AST_NODE_TYPES.Identifier && FACTORY_PARAMETERS.has(param.name));
  if (named.length >= 2 || (named.length === 1 && fn.params.length === 1 && named[0]?.type === AST_NODE_TYPES.Identifier && named[0].name.startsWith('__'))) return true;
  const property = fn.parent;
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== fn || property.parent.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const key = property.key;
  if (key.type !== AST_NODE_TYPES.Literal) return false;
  return typeof key.value === 'number' || (typeof key.value === 'string' && /[/\\]|\.[cm]?[jt]sx?$/u.test(key.value));
}
