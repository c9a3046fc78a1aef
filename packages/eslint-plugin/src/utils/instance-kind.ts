// The questions asked of a file's model (async-context-model.ts) once it is built: is this expression
// an instance, and of which kind. Answers are syntactic only; the checker's half is type-services.ts.
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { FileModel } from './async-context-model.js';
import { getStaticPropertyName, getThisClass, skipWrappers } from './ast.js';
import type { ContextKind } from './context-names.js';
import { DefinitionKind } from './scope-kinds.js';

function hasAnyInstance(model: FileModel): boolean {
  return (
    model.variables.size > 0 ||
    model.classMembers.size > 0 ||
    model.paths.size > 0 ||
    model.configured.size > 0
  );
}

const MAX_ALIAS_DEPTH = 3;

export function getSyntacticInstanceKind(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  node: TSESTree.Node,
): ContextKind | undefined {
  let kind = model.instanceKinds.get(node);
  if (kind === undefined) {
    kind = findSyntacticInstanceKind(sourceCode, model, node, 0) ?? null;
    model.instanceKinds.set(node, kind);
  }
  return kind ?? undefined;
}

function findSyntacticInstanceKind(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  input: TSESTree.Node,
  depth: number,
): ContextKind | undefined {
  const node = skipWrappers(input);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier: {
      if (!hasAnyInstance(model)) return undefined;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
      const kind = variable ? model.variables.get(variable) : undefined;
      if (kind) return kind;
      if (!variable) return model.configured.get(node.name);
      return getAliasKind(sourceCode, model, variable, depth) ?? model.configured.get(node.name);
    }
    case AST_NODE_TYPES.MemberExpression: {
      if (model.paths.size > 0) {
        const kind = model.paths.get(sourceCode.getText(node));
        if (kind) return kind;
      }
      const name = getStaticPropertyName(node);
      if (name === undefined) return undefined;
      if (model.classMembers.size > 0) {
        const classNode = getMemberOwnerClass(sourceCode, node.object);
        const kind = classNode ? model.classMembers.get(classNode)?.get(name) : undefined;
        if (kind) return kind;
      }
      if (model.configured.size === 0) return undefined;
      const path = getMemberPath(node);
      return path === undefined ? undefined : model.configured.get(path);
    }
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.CallExpression:
      return model.constructions.find((construction) => construction.node === node)?.kind;
    default:
      return undefined;
  }
}

/**
 * `const storage = globalThis[KEY]`, `const als = this.als`: a variable declared once with a
 * recognised instance and never reassigned is that instance.
 */
function getAliasKind(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  variable: TSESLint.Scope.Variable,
  depth: number,
): ContextKind | undefined {
  const cached = model.aliases.get(variable);
  if (cached !== undefined) return cached ?? undefined;
  const [definition, ...others] = variable.defs;
  let kind: ContextKind | undefined;
  if (
    depth < MAX_ALIAS_DEPTH &&
    others.length === 0 &&
    definition?.node.type === AST_NODE_TYPES.VariableDeclarator &&
    definition.node.id.type === AST_NODE_TYPES.Identifier &&
    definition.node.init &&
    variable.references.every((reference) => !reference.isWrite() || reference.init === true)
  ) {
    model.aliases.set(variable, null); // a self-referencing initialiser stops here
    kind = findSyntacticInstanceKind(sourceCode, model, definition.node.init, depth + 1);
  }
  model.aliases.set(variable, kind ?? null);
  return kind;
}

/** `this` → the enclosing class; `Foo` → class `Foo` (for static members). */
function getMemberOwnerClass(sourceCode: Readonly<TSESLint.SourceCode>, object: TSESTree.Node): TSESTree.Node | undefined {
  if (object.type === AST_NODE_TYPES.ThisExpression) return getThisClass(object);
  if (object.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(object), object);
  const definition = variable?.defs[0];
  return definition?.type === DefinitionKind.ClassName ? definition.node : undefined;
}

/** `this.als` → 'this.als'; `ctx.storage` → 'ctx.storage'; anything else → undefined. */
function getMemberPath(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = getStaticPropertyName(node);
  const object = getMemberPath(node.object);
  return name === undefined || object === undefined ? undefined : `${object}.${name}`;
}
