// Small AST questions several rules ask: where a node's function is, whether a function is a callback
// of a given call, what a function's parameters are called.
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression;

export function isFunctionNode(node: TSESTree.Node | undefined | null): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression
  );
}

/** The innermost function around `node`, or undefined at module level. */
export function getEnclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/** `(fn)` in `call(a, fn)`: the call that receives the function directly as an argument. */
export function getCallReceivingFunction(fn: FunctionNode): TSESTree.CallExpression | undefined {
  const parent = fn.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.some((argument) => argument === fn)
    ? parent
    : undefined;
}

/** The parameter's own name: `req`, `{ a }` → undefined, `req = x` → `req`, `...rest` → `rest`. */
export function getParameterName(parameter: TSESTree.Parameter): string | undefined {
  let current: TSESTree.Node = parameter;
  if (current.type === AST_NODE_TYPES.TSParameterProperty) current = current.parameter;
  if (current.type === AST_NODE_TYPES.AssignmentPattern) current = current.left;
  if (current.type === AST_NODE_TYPES.RestElement) current = current.argument;
  return current.type === AST_NODE_TYPES.Identifier ? current.name : undefined;
}

/** The name a callee is called by: `f()` → `f`, `a.b.f()` → `f`, `a['f']()` → `f`. */
export function getCalleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    if (!callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) return callee.property.name;
    if (callee.property.type === AST_NODE_TYPES.Literal && typeof callee.property.value === 'string') {
      return callee.property.value;
    }
  }
  return undefined;
}

/** Whether `inner` lies within `outer`'s source range. */
export function isWithin(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/**
 * Whether `node` contains, outside nested functions, a node for which `test` holds. Used to ask "does
 * this code await / return / yield" of statements a fix would move into a new function.
 */
export function containsOutsideFunctions(node: TSESTree.Node, test: (node: TSESTree.Node) => boolean): boolean {
  const stack: TSESTree.Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (test(current)) return true;
    for (const [key, value] of Object.entries(current)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (isNode(child) && !isFunctionNode(child)) stack.push(child);
      }
    }
  }
  return false;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** `x!`, `x as T`, `<T>x`, `x satisfies T` all evaluate to `x`. */
export function skipWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.expression;
  }
  return current;
}

/** `a.b` and `a['b']` → `'b'`; `a.#b` → `'#b'`; computed non-literal keys → undefined. */
export function getStaticPropertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) {
    return node.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${node.property.name}` : node.property.name;
  }
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
    ? node.property.value
    : undefined;
}

/** A class member's or property's key as a name: `x`, `#x`, `['x']`; undefined when computed. */
export function getKeyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

/** The class whose instance `this` refers to at `node`, skipping arrow functions. */
export function getThisClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  for (let current = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.ClassExpression:
        return current;
      case AST_NODE_TYPES.FunctionDeclaration:
        return undefined;
      case AST_NODE_TYPES.FunctionExpression:
        // A method's function: its `this` is the class instance (or the class, for static methods).
        if (current.parent.type !== AST_NODE_TYPES.MethodDefinition) return undefined;
        break;
      default:
        break;
    }
  }
  return undefined;
}
