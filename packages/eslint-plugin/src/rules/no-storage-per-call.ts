import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext } from '../utils/async-context.js';

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
        if (current.parent.type === AST_NODE_TYPES.MethodDefinition && current.parent.kind === 'constructor') {
          return 'instance';
        }
        return 'function';
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
