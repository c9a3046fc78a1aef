// Whether a function reads async context when it runs: calls `getStore()` / `get()` / `tryGet()` /
// `all()` on a recognised instance, captures the current context (`AsyncLocalStorage.bind`,
// `snapshot()`, `bindCallback`...), or calls a function of the same file that does. A callback that
// reads none sees no difference, whatever context it runs in: rules about where a callback runs
// report only callbacks that do, which is what keeps completion callbacks (`resolve`, `done`) and
// data handed to a queue out of their reports.
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { AsyncContext } from './async-context.js';
import { getStaticPropertyName, getThisClass, isFunctionNode, skipWrappers, type FunctionNode } from './ast.js';

/** Instance methods that read the current store. */
const READ_METHODS: ReadonlySet<string> = new Set(['getStore', 'get', 'tryGet', 'all']);
/** Calls through the same file followed from the callback: enough for helpers of helpers. */
const MAX_CALL_DEPTH = 4;

export type ContextReadTest = (fn: TSESTree.Node) => boolean;

/**
 * A test of functions, remembering each answer for the file. `fn` may be an inline function or a name
 * or `this.method` that resolves to a function of this file; anything else (a parameter, an import, a
 * call's result) is not known to read a context and answers false.
 */
export function createContextReadTest(sourceCode: Readonly<TSESLint.SourceCode>, asyncContext: AsyncContext): ContextReadTest {
  const answers = new Map<FunctionNode, boolean>();

  function readsInFunction(fn: FunctionNode, depth: number): boolean {
    const known = answers.get(fn);
    if (known !== undefined) return known;
    answers.set(fn, false); // recursion stops here
    const answer = readsInBody(fn, depth);
    answers.set(fn, answer);
    return answer;
  }

  function readsInBody(fn: FunctionNode, depth: number): boolean {
    const stack: TSESTree.Node[] = [fn.body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === AST_NODE_TYPES.CallExpression && callReads(node, depth)) return true;
      const keys = sourceCode.visitorKeys[node.type] ?? [];
      for (const key of keys) {
        const value = (node as unknown as Record<string, unknown>)[key];
        for (const child of Array.isArray(value) ? value : [value]) {
          if (child && typeof (child as TSESTree.Node).type === 'string') stack.push(child as TSESTree.Node);
        }
      }
    }
    return false;
  }

  function callReads(call: TSESTree.CallExpression, depth: number): boolean {
    const callee = skipWrappers(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = getStaticPropertyName(callee);
      if (method !== undefined && READ_METHODS.has(method) && asyncContext.getContextCall(call)) return true;
    }
    if (asyncContext.getBindingKind(call) !== undefined) return true;
    if (depth >= MAX_CALL_DEPTH) return false;
    const target = resolveFunction(sourceCode, callee);
    return target !== undefined && readsInFunction(target, depth + 1);
  }

  return (input) => {
    const fn = isFunctionNode(input) ? input : resolveFunction(sourceCode, skipWrappers(input));
    return fn !== undefined && readsInFunction(fn, 0);
  };
}

/** The function of this file a name or `this.method` stands for: a declaration, or a const initialiser. */
export function resolveFunction(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): FunctionNode | undefined {
  if (isFunctionNode(node)) return node;
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
    if (!variable || variable.defs.length !== 1) return undefined;
    const [definition] = variable.defs;
    const declared = definition?.node.type === AST_NODE_TYPES.VariableDeclarator ? definition.node.init : definition?.node;
    if (!declared) return undefined;
    const fn = skipWrappers(declared);
    const reassigned = variable.references.some((reference) => reference.isWrite() && reference.init !== true);
    return isFunctionNode(fn) && !reassigned ? fn : undefined;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = getStaticPropertyName(node);
    const classNode = getThisClass(node);
    if (name === undefined || !classNode) return undefined;
    for (const member of classNode.body.body) {
      if (
        (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition) &&
        !member.computed &&
        (member.key.type === AST_NODE_TYPES.Identifier || member.key.type === AST_NODE_TYPES.PrivateIdentifier) &&
        (member.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${member.key.name}` : member.key.name) === name
      ) {
        const value = member.value ? skipWrappers(member.value) : undefined;
        if (value && isFunctionNode(value)) return value;
      }
    }
  }
  return undefined;
}
