/**
 * The write side of no-shared-request-state: whether an assignment's target outlives the
 * request and is shared by all requests (a module-level `let`/`var`, a property of a module-level or
 * imported object, a class's static property, `global`/`globalThis`/`process.env`), and where that
 * state is read afterwards by other code.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { DefinitionKind } from '../../utils/scope-kinds.js';
import { getEnclosingFunction, getStaticPropertyName, isFunctionNode, skipWrappers, type FunctionNode } from '../../utils/ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

export interface SharedState {
  /** How the message names it, in backticks: `correlationId`, `config.correlationId`, `process.env.ID`. */
  readonly text: string;
  /** The module-level variable written or whose property is written; undefined for globals and statics. */
  readonly variable: TSESLint.Scope.Variable | undefined;
  /** `node` is this state (the same variable, or the same property path on the same root). */
  isSameState(sourceCode: SourceCode, node: TSESTree.Node): boolean;
  /** Where other code reads it after `write` (`in \`send\` (line 12)`), or undefined if nowhere. */
  findReadElsewhere(write: TSESTree.AssignmentExpression, fn: FunctionNode): string | undefined;
}

/** Properties of a process that every module shares. */
const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'window']);
/** CommonJS's own bindings: writing to them exports, it keeps no request state. */
const MODULE_BINDINGS = new Set(['module', 'exports']);

export function describeWrittenState(sourceCode: SourceCode, left: TSESTree.Node, fn: FunctionNode): SharedState | undefined {
  const target = skipWrappers(left);
  if (target.type === AST_NODE_TYPES.Identifier) return describeVariable(sourceCode, target);
  if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const path: string[] = [];
  let root: TSESTree.Node = target;
  while (root.type === AST_NODE_TYPES.MemberExpression) {
    const name = getStaticPropertyName(root);
    // `cache[req.id] = …`: a collection keyed by the request's value, each request its own entry.
    if (name === undefined || name === 'prototype') return undefined;
    path.unshift(name);
    root = skipWrappers(root.object);
  }
  if (root.type === AST_NODE_TYPES.ThisExpression) return describeClassState(sourceCode, path, fn);
  if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root);
  if (!variable || variable.defs.length === 0) {
    if (GLOBAL_OBJECTS.has(root.name)) return describeGlobal(`${root.name}.${path.join('.')}`);
    if (root.name === 'process' && path[0] === 'env' && path.length > 1) return describeGlobal(`process.${path.join('.')}`);
  }
  // `module.exports.requestId = …` inside a function: the exports object every importer holds.
  if (!variable || variable.defs.length === 0 || !isModuleLevel(variable) || MODULE_BINDINGS.has(root.name)) {
    const exported = (root.name === 'module' && path[0] === 'exports' && path.length > 1) || (root.name === 'exports' && path.length > 0);
    return exported && (!variable || variable.defs.length === 0) ? describeGlobal(`${root.name}.${path.join('.')}`, 'wherever this module is imported') : undefined;
  }
  return describeProperty(sourceCode, variable, path);
}

function isModuleLevel(variable: TSESLint.Scope.Variable): boolean {
  return variable.scope.block.type === AST_NODE_TYPES.Program;
}

/** A module-level `let`/`var` (`const` cannot be written; functions and classes are not state). */
function describeVariable(sourceCode: SourceCode, identifier: TSESTree.Identifier): SharedState | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  if (!variable || !isModuleLevel(variable) || variable.defs[0]?.type !== DefinitionKind.Variable) return undefined;
  return {
    text: `\`${variable.name}\``,
    variable,
    isSameState: (code, node) =>
      node.type === AST_NODE_TYPES.Identifier && ASTUtils.findVariable(code.getScope(node), node) === variable,
    findReadElsewhere(write, fn) {
      // `export let current`: an ES module's importers read the live binding (CommonJS copies the value).
      if (isExportedBinding(variable)) return 'wherever this module is imported';
      for (const reference of variable.references) {
        if (!reference.isRead() || isWithin(reference.identifier, write)) continue;
        const where = describeLaterRead(reference.identifier, write, fn);
        if (where) return where;
      }
      return undefined;
    },
  };
}

/** A property path on a module-level object, an imported module or a class: `config.correlationId`. */
function describeProperty(sourceCode: SourceCode, variable: TSESLint.Scope.Variable, path: readonly string[]): SharedState {
  return {
    text: `\`${variable.name}.${path.join('.')}\``,
    variable,
    isSameState: (code, node) => isSamePath(code, node, variable, path),
    findReadElsewhere(write, fn) {
      // An imported module or an exported object is read by code this file cannot see.
      if (isImported(variable)) return `wherever \`${variable.name}\` is imported`;
      // Express's `app.locals`: every template the app renders sees them, for every request.
      if (path[0] === 'locals' && path.length > 1) return 'by every view the app renders';
      if (isExported(variable)) return 'wherever this module is imported';
      for (const reference of variable.references) {
        if (isWithin(reference.identifier, write)) continue;
        const read = getPathRead(reference.identifier as TSESTree.Identifier, path);
        if (read && describeLaterRead(read, write, fn)) return describeLaterRead(read, write, fn);
      }
      return undefined;
    },
  };
}

/**
 * The expression that reads the written path (or all of the object, `log(config)`) from `identifier`,
 * or undefined when it reads another property or writes.
 */
function getPathRead(identifier: TSESTree.Identifier, path: readonly string[]): TSESTree.Node | undefined {
  let node: TSESTree.Node = identifier;
  for (const name of path) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) break;
    // A call of a method is a method, not the state: `config.get(...)` beside `config.id = ...`.
    if (getStaticPropertyName(parent) !== name) return undefined;
    node = parent;
  }
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) return undefined;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && node === identifier) {
    // `config.other`: another property of the same object.
    return undefined;
  }
  return node;
}

function isSamePath(sourceCode: SourceCode, input: TSESTree.Node, variable: TSESLint.Scope.Variable, path: readonly string[]): boolean {
  let node = skipWrappers(input);
  const names: string[] = [];
  while (node.type === AST_NODE_TYPES.MemberExpression) {
    const name = getStaticPropertyName(node);
    if (name === undefined) return false;
    names.unshift(name);
    node = skipWrappers(node.object);
  }
  return (
    node.type === AST_NODE_TYPES.Identifier &&
    names.join('.') === path.join('.') &&
    ASTUtils.findVariable(sourceCode.getScope(node), node) === variable
  );
}

/**
 * `this.x = …` where `this` is one object for all requests: in a static method or block (the class's
 * static property), or in a method of a singleton (a class instantiated once at module level, or a
 * NestJS provider or controller, which Nest instantiates once unless its decorator sets a `scope`).
 */
function describeClassState(sourceCode: SourceCode, path: readonly string[], fn: FunctionNode): SharedState | undefined {
  const member = getThisOwner(fn);
  if (!member) return undefined;
  const classNode = member.parent.parent;
  const className = classNode.id?.name ?? 'the class';
  const property = path.join('.');
  const ownStatic = isStatic(member);
  if (!ownStatic) {
    // A constructor runs once per instance, at start-up for a singleton.
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') return undefined;
    if (!isSingletonClass(sourceCode, classNode)) return undefined;
  }
  const text = ownStatic ? `\`${className}.${property}\`` : `\`this.${property}\` of the \`${className}\` singleton`;
  const isSameState = (code: SourceCode, node: TSESTree.Node): boolean => {
    const written = code.getText(skipWrappers(node));
    return written === `this.${property}` || (ownStatic && written === `${className}.${property}`);
  };
  return {
    text,
    variable: undefined,
    isSameState,
    findReadElsewhere(write, writer) {
      // Every `this.x` of another member of the same kind, and for statics every `Class.x` in the file.
      const stack: TSESTree.Node[] = [ownStatic ? (classNode.parent ?? classNode) : classNode.body];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.type === AST_NODE_TYPES.MemberExpression && !isWithin(node, write) && isSameState(sourceCode, node)) {
          const parent = node.parent;
          const isWrite = parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node;
          const viaThis = sourceCode.getText(node).startsWith('this.');
          const owner = viaThis ? getThisOwner(getEnclosingFunction(node)) : undefined;
          const sameObject = !viaThis || (owner !== undefined && owner.parent.parent === classNode && isStatic(owner) === ownStatic);
          const where = isWrite || !sameObject ? undefined : describeLaterRead(node, write, writer);
          if (where) return where;
          continue;
        }
        pushChildren(stack, node);
      }
      return undefined;
    },
  };
}

/** NestJS decorators whose classes Nest instantiates once, unless their options set a `scope`. */
const NEST_SINGLETON_DECORATORS = new Set(['Injectable', 'Controller']);

/**
 * The class has one instance for the whole process: `module.exports = new Service()`, `new (class
 * {...})()`, `const service = new Service()` with no other instantiation in a function and the
 * class not exported (others could make more); or a NestJS provider or controller of default scope.
 */
function isSingletonClass(sourceCode: SourceCode, classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  let known = singletonClasses.get(classNode);
  if (known === undefined) {
    known = findIfSingleton(sourceCode, classNode);
    singletonClasses.set(classNode, known);
  }
  return known;
}

// Every `this.x = …` of a class asks; the answer depends only on the class and its file.
const singletonClasses = new WeakMap<TSESTree.Node, boolean>();

function findIfSingleton(sourceCode: SourceCode, classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  // Parsers without TypeScript's syntax (espree) leave `decorators` out.
  for (const decorator of classNode.decorators ?? []) {
    const expression = decorator.expression;
    const callee = expression.type === AST_NODE_TYPES.CallExpression ? expression.callee : expression;
    if (callee.type !== AST_NODE_TYPES.Identifier || !NEST_SINGLETON_DECORATORS.has(callee.name)) continue;
    const options = expression.type === AST_NODE_TYPES.CallExpression ? expression.arguments : [];
    return !options.some(
      (option) =>
        option.type === AST_NODE_TYPES.ObjectExpression &&
        option.properties.some((p) => p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'scope'),
    );
  }
  if (classNode.parent.type === AST_NODE_TYPES.NewExpression) return getEnclosingFunction(classNode.parent) === undefined;
  if (classNode.type !== AST_NODE_TYPES.ClassDeclaration || classNode.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return false;
  if (classNode.parent.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
  const variable = sourceCode.getDeclaredVariables(classNode).find((declared) => declared.scope.block !== classNode);
  if (!variable || isExported(variable)) return false;
  let instances = 0;
  for (const reference of variable.references) {
    const parent = reference.identifier.parent;
    if (parent?.type !== AST_NODE_TYPES.NewExpression || parent.callee !== reference.identifier) continue;
    if (getEnclosingFunction(parent)) return false;
    instances++;
  }
  return instances === 1;
}

function isStatic(member: ReturnType<typeof getThisOwner>): boolean {
  return member?.type === AST_NODE_TYPES.StaticBlock || member?.static === true;
}

/** The class member whose `this` a function sees: arrows see through to their enclosing function. */
function getThisOwner(fn: FunctionNode | undefined): TSESTree.MethodDefinition | TSESTree.PropertyDefinition | TSESTree.StaticBlock | undefined {
  let current: TSESTree.Node | undefined = fn;
  while (current) {
    if (current.type === AST_NODE_TYPES.StaticBlock) return current;
    if (current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.FunctionDeclaration) {
      const parent = current.parent;
      return parent?.type === AST_NODE_TYPES.MethodDefinition ? parent : undefined;
    }
    if (current.type === AST_NODE_TYPES.PropertyDefinition) return current;
    current = current.parent;
  }
  return undefined;
}

/** `global.x`, `globalThis.x`, `process.env.X`: the whole process reads them, whichever module wrote. */
function describeGlobal(text: string, where = 'by any module of the process'): SharedState {
  return {
    text: `\`${text}\``,
    variable: undefined,
    isSameState: (code, node) => code.getText(skipWrappers(node)) === text,
    findReadElsewhere: () => where,
  };
}

/**
 * A read that runs after the write, possibly for another request: in another function (called later,
 * by this request or another), or in the same one past an `await` (where other requests run).
 */
function describeLaterRead(read: TSESTree.Node, write: TSESTree.AssignmentExpression, writer: FunctionNode): string | undefined {
  const reader = getEnclosingFunction(read);
  // A read at module level runs once, at start-up, before any request.
  if (!reader) return undefined;
  const line = read.loc.start.line;
  if (reader !== writer) return `in ${describeFunction(reader)} (line ${line})`;
  if (read.range[0] > write.range[1] && hasAwaitBetween(writer, write.range[1], read.range[0])) {
    return `after an \`await\` (line ${line})`;
  }
  return undefined;
}

function hasAwaitBetween(fn: FunctionNode, start: number, end: number): boolean {
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.range[1] < start || node.range[0] > end || isFunctionNode(node)) continue;
    if ((node.type === AST_NODE_TYPES.AwaitExpression || node.type === AST_NODE_TYPES.YieldExpression) && node.range[0] >= start && node.range[1] <= end) {
      return true;
    }
    if (node.type === AST_NODE_TYPES.ForOfStatement && node.await && node.range[0] >= start) return true;
    pushChildren(stack, node);
  }
  return false;
}

function describeFunction(fn: FunctionNode): string {
  if (fn.id) return `\`${fn.id.name}\``;
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return `\`${parent.id.name}\``;
  if (
    (parent.type === AST_NODE_TYPES.Property || parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition) &&
    parent.key.type === AST_NODE_TYPES.Identifier
  ) {
    return `\`${parent.key.name}\``;
  }
  return 'another function';
}

/** `export let x`, `export { x }`: the importers see every later write. */
function isExportedBinding(variable: TSESLint.Scope.Variable): boolean {
  const declaration = variable.defs[0]?.node.parent;
  if (declaration?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  return variable.references.some((reference) => reference.identifier.parent?.type === AST_NODE_TYPES.ExportSpecifier);
}

/** The object is exported: `export const config`, `export default config`, `module.exports = config`, `exports.config = config`. */
function isExported(variable: TSESLint.Scope.Variable): boolean {
  if (isExportedBinding(variable)) return true;
  return variable.references.some((reference) => {
    let node: TSESTree.Node = reference.identifier;
    if (node.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return true;
    if (node.parent?.type === AST_NODE_TYPES.Property && node.parent.value === node) node = node.parent.parent;
    const parent = node.parent;
    if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.right !== node) return false;
    let left: TSESTree.Node = parent.left;
    while (left.type === AST_NODE_TYPES.MemberExpression) left = left.object;
    return left.type === AST_NODE_TYPES.Identifier && MODULE_BINDINGS.has(left.name);
  });
}

/** `import config from './config'`, `const config = require('./config')`, `require('x').settings`. */
function isImported(variable: TSESLint.Scope.Variable): boolean {
  const definition = variable.defs[0];
  if (definition?.type === DefinitionKind.ImportBinding) return true;
  if (definition?.type !== DefinitionKind.Variable || !definition.node.init) return false;
  let init = skipWrappers(definition.node.init);
  while (init.type === AST_NODE_TYPES.MemberExpression) init = skipWrappers(init.object);
  return (
    init.type === AST_NODE_TYPES.CallExpression &&
    init.callee.type === AST_NODE_TYPES.Identifier &&
    init.callee.name === 'require'
  );
}

function isWithin(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

function pushChildren(stack: TSESTree.Node[], node: TSESTree.Node): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof child === 'object' && child !== null && typeof (child as { type?: unknown }).type === 'string') stack.push(child as TSESTree.Node);
    }
  }
}
