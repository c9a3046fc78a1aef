// The syntactic half of the async-context recogniser: which variables, class members and paths of a
// file hold AsyncLocalStorage instances or @unthread/context contexts, and which calls bind callbacks.
// Built once per file from the imports (see async-context.ts for how rules use it); the questions
// asked of the built model are in instance-kind.ts.
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getKeyName, getStaticPropertyName, getThisClass } from './ast.js';
import { CONTEXT_MODULE, HOOK_MODULES, type BindingKind, type ContextKind } from './context-names.js';
import { getImportedContexts, isRelativeSpecifier } from './imported-contexts.js';
import { createReceiverTest } from './method-call-receivers.js';
import type { UnthreadSettings } from './settings.js';

export interface ContextConstruction {
  node: TSESTree.NewExpression | TSESTree.CallExpression;
  kind: ContextKind;
}

export interface FileModel {
  constructions: ContextConstruction[];
  /** What the checker said about a node (null: not an instance), when type information is on. */
  typeKinds: Map<TSESTree.Node, ContextKind | null>;
  variables: Map<TSESLint.Scope.Variable, ContextKind>;
  classMembers: Map<TSESTree.Node, Map<string, ContextKind>>;
  bindings: Map<TSESTree.CallExpression, BindingKind>;
  /** `runJob(context, fn)` from @unthread/context: a run with a fresh store. */
  runJobs: Set<TSESTree.CallExpression>;
  configured: Map<string, ContextKind>;
  /** Source text of other assignment targets holding an instance: `globalThis[KEY]`, `app.locals.als`. */
  paths: Map<string, ContextKind>;
  /** `const alias = <instance>`: resolved on first use (null: not an alias of an instance). */
  aliases: Map<TSESLint.Scope.Variable, ContextKind | null>;
  /**
   * getSyntacticInstanceKind's answer per node asked (null: not an instance). Several rules ask about
   * the same callee, and each answer costs a scope lookup; once the model is built it never changes.
   */
  instanceKinds: Map<TSESTree.Node, ContextKind | null>;
}

const { ReferenceTracker } = ASTUtils;
type TraceMap = Record<string, unknown>;
type TraceInfo = BindingKind | ContextKind | 'run-job';

function storageTraceMap(): TraceMap {
  const exports = {
    AsyncLocalStorage: {
      [ReferenceTracker.CONSTRUCT]: 'storage',
      bind: { [ReferenceTracker.CALL]: 'storage-bind' },
      snapshot: { [ReferenceTracker.CALL]: 'storage-snapshot' },
    },
    AsyncResource: { bind: { [ReferenceTracker.CALL]: 'resource-bind' } },
  };
  // Node's built-ins are CommonJS: reachable through named, default and namespace imports alike.
  return { [ReferenceTracker.ESM]: true, ...exports, default: exports };
}

function contextTraceMap(): TraceMap {
  return {
    [ReferenceTracker.ESM]: true,
    createContext: { [ReferenceTracker.CALL]: 'context' },
    bindCallback: { [ReferenceTracker.CALL]: 'bind-callback' },
    runJob: { [ReferenceTracker.CALL]: 'run-job' },
    bindEmitter: { [ReferenceTracker.CALL]: 'bind-emitter' },
    snapshot: { [ReferenceTracker.CALL]: 'context-snapshot' },
  };
}

/**
 * Every form the reference tracker follows names one of the modules in the text: most files name
 * neither, and then no construction, binding call or `runJob` is found in them.
 */
export function namesContextModules(text: string): boolean {
  return text.includes('async_hooks') || text.includes(CONTEXT_MODULE);
}

// The tracker only reads the trace map: one for the process rather than one per file. Its typing has
// no symbol keys; the values in it are all TraceInfo.
const TRACE_MAP = {
  ...Object.fromEntries([...HOOK_MODULES].map((name) => [name, storageTraceMap()])),
  [CONTEXT_MODULE]: contextTraceMap(),
} as Parameters<InstanceType<typeof ReferenceTracker>['iterateEsmReferences']>[0];

/** `settings.unthread.asyncContexts` as name → kind: `'als'` is a storage, `{ name, kind }` says which. */
export function readConfiguredContexts(settings: UnthreadSettings): Map<string, ContextKind> {
  const configured = new Map<string, ContextKind>();
  for (const entry of settings.asyncContexts ?? []) {
    if (typeof entry === 'string') configured.set(entry, 'storage');
    else if (typeof entry === 'object' && typeof entry.name === 'string') {
      configured.set(entry.name, entry.kind ?? 'storage');
    }
  }
  return configured;
}

/**
 * @param configured the names from `settings.unthread.asyncContexts` (readConfiguredContexts).
 * @param filename the linted file's absolute path, to find the modules it imports relatively; a
 *   virtual name (`<input>`) finds none.
 */
export function buildFileModel(
  sourceCode: Readonly<TSESLint.SourceCode>,
  configured: Map<string, ContextKind>,
  filename: string,
): FileModel {
  const model: FileModel = {
    constructions: [],
    typeKinds: new Map(),
    variables: new Map(),
    classMembers: new Map(),
    bindings: new Map(),
    runJobs: new Set(),
    configured,
    paths: new Map(),
    aliases: new Map(),
    instanceKinds: new Map(),
  };

  recordImportedInstances(sourceCode, model, filename);

  if (!namesContextModules(sourceCode.text)) return model;

  const tracker = new ReferenceTracker(sourceCode.scopeManager?.globalScope ?? sourceCode.getScope(sourceCode.ast));
  const seen = new Set<TSESTree.Node>();
  const found = [...tracker.iterateEsmReferences<TraceInfo>(TRACE_MAP)];
  // CommonJS references all start at `require` (or `globalThis.require`): a file whose text never
  // says it has none, and the walk over the global scope's references is skipped.
  if (sourceCode.text.includes('require')) found.push(...tracker.iterateCjsReferences<TraceInfo>(TRACE_MAP));
  for (const { node, info } of found) {
    if (seen.has(node)) continue;
    seen.add(node);
    if (info === 'storage' || info === 'context') {
      if (node.type === AST_NODE_TYPES.NewExpression || node.type === AST_NODE_TYPES.CallExpression) {
        model.constructions.push({ node, kind: info });
        recordHolder(sourceCode, model, node, info);
      }
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      if (info === 'run-job') model.runJobs.add(node);
      else model.bindings.set(node, info);
    }
  }
  for (const identifier of findStorageTypeNames(sourceCode)) recordTypeAnnotation(sourceCode, model, identifier);
  return model;
}

/**
 * Whether the file can hold an instance that its syntactic model would find: it names one of the
 * modules, the settings list names, or a binding it imports from a relative module (the only other
 * source of instances) receives an instance method call. When false the model would be empty, and
 * every question about an instance answers no without building it (or reading any module from disk).
 */
export function mayHoldInstances(sourceCode: Readonly<TSESLint.SourceCode>, configured: ReadonlyMap<string, ContextKind>): boolean {
  if (configured.size > 0 || namesContextModules(sourceCode.text)) return true;
  const receivesMethodCall = createReceiverTest(sourceCode.text);
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      if (isImportWorthResolving(statement, receivesMethodCall)) return true;
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      if (statement.declarations.some((declarator) => getRelativeRequire(declarator, receivesMethodCall) !== undefined)) return true;
    }
  }
  return false;
}

/** A relative value import one of whose names receives an instance method call in this file. */
function isImportWorthResolving(statement: TSESTree.ImportDeclaration, receivesMethodCall: (name: string) => boolean): boolean {
  return (
    statement.importKind !== 'type' &&
    isRelativeSpecifier(statement.source.value) &&
    statement.specifiers.some((specifier) => receivesMethodCall(specifier.local.name))
  );
}

/**
 * The specifier of `const x = require('./x')` (or a destructuring of it) when a name it declares
 * receives an instance method call in this file; undefined otherwise.
 */
function getRelativeRequire(declarator: TSESTree.VariableDeclarator, receivesMethodCall: (name: string) => boolean): string | undefined {
  const init = declarator.init;
  if (
    init?.type !== AST_NODE_TYPES.CallExpression ||
    init.callee.type !== AST_NODE_TYPES.Identifier ||
    init.callee.name !== 'require' ||
    init.arguments.length !== 1
  ) {
    return undefined;
  }
  const [argument] = init.arguments;
  if (argument?.type !== AST_NODE_TYPES.Literal || typeof argument.value !== 'string') return undefined;
  if (!isRelativeSpecifier(argument.value)) return undefined;
  return declaredNames(declarator.id).some(receivesMethodCall) ? argument.value : undefined;
}

/**
 * Bindings imported from the project's own modules (`import { als } from './context.js'`,
 * `const { als } = require('./context')`, `import * as context from './context'`) that the imported
 * module exports as instances: recorded exactly like instances made in this file.
 */
function recordImportedInstances(sourceCode: Readonly<TSESLint.SourceCode>, model: FileModel, filename: string): void {
  // Reading another module from disk is the costly part of the model: only an import whose local name
  // receives an instance method call here (`als.run(`, `context.als.getStore(`) is worth resolving.
  const receivesMethodCall = createReceiverTest(sourceCode.text);
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      if (!isImportWorthResolving(statement, receivesMethodCall)) continue;
      const exported = getImportedContexts(filename, statement.source.value);
      if (exported.size === 0) continue;
      for (const specifier of statement.specifiers) {
        if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) {
          for (const [name, kind] of exported) model.paths.set(`${specifier.local.name}.${name}`, kind);
          continue;
        }
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type') continue;
        const name =
          specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
            ? 'default'
            : specifier.imported.type === AST_NODE_TYPES.Identifier
              ? specifier.imported.name
              : specifier.imported.value;
        const kind = exported.get(name);
        if (!kind) continue;
        for (const variable of sourceCode.getDeclaredVariables(specifier)) model.variables.set(variable, kind);
      }
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) recordRequiredInstances(sourceCode, model, filename, declarator, receivesMethodCall);
    }
  }
}

/** The identifiers a `require` declarator binds: the name itself or a destructuring's targets. */
function declaredNames(id: TSESTree.BindingName): string[] {
  if (id.type === AST_NODE_TYPES.Identifier) return [id.name];
  if (id.type !== AST_NODE_TYPES.ObjectPattern) return [];
  return id.properties.flatMap((property) => {
    if (property.type !== AST_NODE_TYPES.Property) return [];
    const target = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    return target.type === AST_NODE_TYPES.Identifier ? [target.name] : [];
  });
}

/** `const { als, request: ctx } = require('./context')` and `const context = require('./context')`. */
function recordRequiredInstances(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  filename: string,
  declarator: TSESTree.VariableDeclarator,
  receivesMethodCall: (name: string) => boolean,
): void {
  const specifier = getRelativeRequire(declarator, receivesMethodCall);
  if (specifier === undefined) return;
  const exported = getImportedContexts(filename, specifier);
  if (exported.size === 0) return;
  if (declarator.id.type === AST_NODE_TYPES.Identifier) {
    for (const [name, kind] of exported) model.paths.set(`${declarator.id.name}.${name}`, kind);
    return;
  }
  if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return;
  for (const property of declarator.id.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    const name = getKeyName(property.key, property.computed);
    const kind = name === undefined ? undefined : exported.get(name);
    const target = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (!kind || target.type !== AST_NODE_TYPES.Identifier) continue;
    const variable = ASTUtils.findVariable(sourceCode.getScope(target), target);
    if (variable) model.variables.set(variable, kind);
  }
}

/**
 * The identifiers that name the AsyncLocalStorage type: `AsyncLocalStorage` (or its alias) from a named
 * import, `hooks.AsyncLocalStorage` through a namespace or default import. Type-only imports count too,
 * which is why this reads the imports and not the reference tracker (it follows values only).
 */
function findStorageTypeNames(sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.Identifier[] {
  const names: TSESTree.Identifier[] = [];
  for (const statement of sourceCode.ast.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    if (!HOOK_MODULES.has(statement.source.value)) continue;
    for (const specifier of statement.specifiers) {
      const direct =
        specifier.type === AST_NODE_TYPES.ImportSpecifier &&
        specifier.imported.type === AST_NODE_TYPES.Identifier &&
        specifier.imported.name === 'AsyncLocalStorage';
      if (!direct && specifier.type === AST_NODE_TYPES.ImportSpecifier) continue;
      for (const variable of sourceCode.getDeclaredVariables(specifier)) {
        for (const { identifier } of variable.references) {
          if (identifier.type !== AST_NODE_TYPES.Identifier) continue;
          if (direct) names.push(identifier);
          else {
            const qualified = identifier.parent;
            if (
              qualified.type === AST_NODE_TYPES.TSQualifiedName &&
              qualified.left === identifier &&
              qualified.right.name === 'AsyncLocalStorage'
            ) {
              names.push(qualified.right);
            }
          }
        }
      }
    }
  }
  return names;
}

/** Where a freshly made instance is stored, so later uses of that holder are recognised. */
function recordHolder(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  construction: TSESTree.Node,
  kind: ContextKind,
): void {
  // Through wrappers and fallbacks: `x as T`, `existing ?? new AsyncLocalStorage()`, `c ? a : new …`.
  let node = construction;
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.TSAsExpression ||
      node.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      node.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      node.parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      (node.parent.type === AST_NODE_TYPES.LogicalExpression && node.parent.right === node) ||
      (node.parent.type === AST_NODE_TYPES.ConditionalExpression && node.parent.test !== node))
  ) {
    node = node.parent;
  }
  const parent = node.parent;
  if (!parent) return;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) {
    for (const variable of sourceCode.getDeclaredVariables(parent)) model.variables.set(variable, kind);
  } else if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node) {
    recordAssignmentTarget(sourceCode, model, parent.left, kind);
  } else if (
    (parent.type === AST_NODE_TYPES.PropertyDefinition || parent.type === AST_NODE_TYPES.AccessorProperty) &&
    parent.value === node
  ) {
    const name = getKeyName(parent.key, parent.computed);
    const classNode = parent.parent.parent;
    if (name !== undefined) addClassMember(model, classNode, name, kind);
  }
}

function recordAssignmentTarget(
  sourceCode: Readonly<TSESLint.SourceCode>,
  model: FileModel,
  target: TSESTree.Node,
  kind: ContextKind,
): void {
  if (target.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(target), target);
    if (variable) model.variables.set(variable, kind);
  } else if (target.type === AST_NODE_TYPES.MemberExpression && target.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = getStaticPropertyName(target);
    const classNode = getThisClass(target);
    if (name !== undefined && classNode) addClassMember(model, classNode, name, kind);
  } else if (target.type === AST_NODE_TYPES.MemberExpression) {
    // `globalThis[KEY] ??= new AsyncLocalStorage()`: later reads spell the target the same way.
    model.paths.set(sourceCode.getText(target), kind);
  }
}

/**
 * `als: AsyncLocalStorage<T>` on a variable, a parameter, a parameter property or a class field:
 * the reference tracker reports the type name's read inside the annotation.
 */
function recordTypeAnnotation(sourceCode: Readonly<TSESLint.SourceCode>, model: FileModel, node: TSESTree.Node): void {
  // The type name may be qualified: `ah.AsyncLocalStorage`.
  let typeName: TSESTree.Node = node;
  while (typeName.parent?.type === AST_NODE_TYPES.TSQualifiedName && typeName.parent.right === typeName) {
    typeName = typeName.parent;
  }
  const reference = typeName.parent;
  if (reference?.type !== AST_NODE_TYPES.TSTypeReference || reference.parent?.type !== AST_NODE_TYPES.TSTypeAnnotation) {
    return;
  }
  const holder = reference.parent.parent;
  if (holder.type === AST_NODE_TYPES.Identifier) {
    const owner = holder.parent;
    if (owner.type === AST_NODE_TYPES.TSParameterProperty) {
      const classNode = owner.parent.parent?.parent?.parent;
      if (classNode) addClassMember(model, classNode, holder.name, 'storage');
      return;
    }
    const variable = ASTUtils.findVariable(sourceCode.getScope(holder), holder);
    if (variable) model.variables.set(variable, 'storage');
  } else if (holder.type === AST_NODE_TYPES.PropertyDefinition || holder.type === AST_NODE_TYPES.AccessorProperty) {
    const name = getKeyName(holder.key, holder.computed);
    if (name !== undefined) addClassMember(model, holder.parent.parent, name, 'storage');
  }
}

function addClassMember(model: FileModel, classNode: TSESTree.Node, name: string, kind: ContextKind): void {
  let members = model.classMembers.get(classNode);
  if (!members) {
    members = new Map();
    model.classMembers.set(classNode, members);
  }
  members.set(name, kind);
}
