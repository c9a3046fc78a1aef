/**
 * The shared recogniser of async context: which expressions in a file are AsyncLocalStorage instances
 * or @unthread/context contexts, which calls are their methods, and which calls bind a callback or an
 * emitter to the current context. Every rule asks it instead of matching names itself.
 *
 * How a rule uses it:
 * ```ts
 * create(context) {
 *   const asyncContext = getAsyncContext(context);
 *   return {
 *     CallExpression(node) {
 *       if (!isCallOf(node, 'enterWith')) return;          // cheap: the method's name first
 *       const call = asyncContext.getContextCall(node);   // a scope lookup of the receiver
 *       if (call?.kind === 'storage' && call.method === 'enterWith') { ... }
 *     },
 *   };
 * }
 * ```
 * - `getContextCall(call)` → `{ kind, method, instance, node }` for `x.run(...)`, `x.getStore()`,
 *   `ctx.get('k')`... when `x` is an instance; `undefined` otherwise.
 * - `getInstanceKind(expr)` → `'storage' | 'context' | undefined` for any expression.
 * - `getRunCallback(call)` → `fn` of `x.run(store, fn)` or `runJob(context, fn)`, else undefined.
 * - `constructions` → every `new AsyncLocalStorage(...)` and `createContext(...)` in the file.
 * - `getBindingKind(call)` → how a call binds a function or emitter to the current context
 *   (`AsyncLocalStorage.bind`, `AsyncLocalStorage.snapshot`, `AsyncResource.bind`, `bindCallback`,
 *   `bindEmitter`, `snapshot` from @unthread/context, a context's own `bind`), or `undefined`.
 *
 * What it recognises, in every import form (`import { AsyncLocalStorage }`, `import * as ah`,
 * `import ah from`, `require(...)` destructured or not, with or without the `node:` prefix):
 * - instances made with `new AsyncLocalStorage()` and contexts made with `createContext()` from
 *   @unthread/context, held in a variable, a class field (`this.als`, `Class.als`, `this.#als`) or
 *   assigned later (`als = new AsyncLocalStorage()`, `this.als = ...` in a constructor);
 * - variables, parameters and fields annotated with the imported `AsyncLocalStorage` type;
 * - bindings imported from a relative module (`import { als } from './context.js'`, namespace and
 *   default imports, `const { als } = require('./context')`) whose file on disk exports an instance
 *   made as above (imported-contexts.ts reads and scans it, cached per file);
 * - names listed by the user in `settings.unthread.asyncContexts`: `['als', 'this.storage']` or
 *   `[{ name: 'requestContext', kind: 'context' }]` (an instance imported from a package or made by a
 *   factory is otherwise invisible without types);
 * - with `settings.unthread.useTypeInformation: true` (set by the `recommended-type-checked` config)
 *   and a parser program, any expression whose type is AsyncLocalStorage or an @unthread/context
 *   Context, asked of the checker only after the cheap syntactic tests failed.
 *
 * The syntactic part (async-context-model.ts builds it, instance-kind.ts answers from it) is computed
 * once per file, when a rule first asks, and shared by every rule (the recogniser is cached on the
 * Program node); the checker's part is in type-services.ts. The kinds and module names are in
 * context-names.ts.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import {
  buildFileModel,
  mayHoldInstances,
  namesContextModules,
  readConfiguredContexts,
  type ContextConstruction,
  type FileModel,
} from './async-context-model.js';
import { getStaticPropertyName, skipWrappers } from './ast.js';
import { INSTANCE_METHODS, type BindingKind, type ContextKind } from './context-names.js';
import { getSyntacticInstanceKind } from './instance-kind.js';
import { readSettings } from './settings.js';
import { createTypeRecogniser } from './type-services.js';

export interface ContextCall {
  node: TSESTree.CallExpression;
  kind: ContextKind;
  /** The called method's name: `run`, `enterWith`, `getStore`, `exit`, `disable`, `get`, ... */
  method: string;
  /** The instance the method is called on (the callee's object). */
  instance: TSESTree.Expression;
}

export interface AsyncContext {
  readonly constructions: readonly ContextConstruction[];
  /** Every call found through the imports that binds a function or an emitter (not `ctx.bind`). */
  readonly bindingCalls: ReadonlyMap<TSESTree.CallExpression, BindingKind>;
  getInstanceKind(node: TSESTree.Node): ContextKind | undefined;
  getContextCall(node: TSESTree.CallExpression): ContextCall | undefined;
  getBindingKind(node: TSESTree.CallExpression): BindingKind | undefined;
  /**
   * The function a call runs inside a context: `fn` of `x.run(store, fn)` on a recognised instance or
   * of `runJob(context, fn)` from @unthread/context; undefined for any other call.
   */
  getRunCallback(node: TSESTree.CallExpression): TSESTree.CallExpressionArgument | undefined;
  /**
   * False when no expression of the file can be an instance and no call a binding: it names neither
   * module, imports nothing relative that receives an instance method call, the settings name none,
   * and type information is off. A rule whose every finding needs an instance then has nothing to
   * visit. Answered from the text and the imports, once per file, without building the model.
   */
  mayHoldInstances(): boolean;
}

type AnyRuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

// One recogniser per file, shared by every rule: what it knows depends only on the file (its text, the
// settings and parser services of the config that lints it), so the first rule's context makes it.
const recognisers = new WeakMap<TSESTree.Program, AsyncContext>();

/**
 * The recogniser for the file being linted. Cheap to call in every rule's `create`: it is made once
 * per file, and its syntactic model is built on the first question any rule asks about the file. A
 * file no rule asks about (no call named like a method they look for) never has it built, and the
 * questions only the module references can answer (`runJob`, binding calls) skip it in a file that
 * names neither module.
 */
export function getAsyncContext(context: AnyRuleContext): AsyncContext {
  const program = context.sourceCode.ast;
  let recogniser = recognisers.get(program);
  if (!recogniser) {
    recogniser = new FileRecogniser(context);
    recognisers.set(program, recogniser);
  }
  return recogniser;
}

/** A class rather than closures: one is made per linted file, and its methods are shared. */
class FileRecogniser implements AsyncContext {
  readonly #context: AnyRuleContext;
  readonly #configured: Map<string, ContextKind>;
  #model: FileModel | undefined;
  #namesModules: boolean | undefined;
  #typeKind: ((node: TSESTree.Node) => ContextKind | undefined) | null | undefined;
  #mayHoldInstances: boolean | undefined;

  constructor(context: AnyRuleContext) {
    this.#context = context;
    // Read now, not with the model: as when the model was built in `create`, a malformed setting fails
    // while the rules are loaded, in every file.
    this.#configured = readConfiguredContexts(readSettings(context.settings));
  }

  get constructions(): readonly ContextConstruction[] {
    return this.#fileModel().constructions;
  }

  get bindingCalls(): ReadonlyMap<TSESTree.CallExpression, BindingKind> {
    return this.#fileModel().bindings;
  }

  getInstanceKind(node: TSESTree.Node): ContextKind | undefined {
    return getSyntacticInstanceKind(this.#context.sourceCode, this.#fileModel(), node) ?? this.#getTypeKindOnce(node);
  }

  getContextCall(node: TSESTree.CallExpression): ContextCall | undefined {
    const callee = skipWrappers(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = getStaticPropertyName(callee);
    if (method === undefined) return undefined;
    // Cheap syntax for any method; the checker only for the names an instance can have.
    const kind =
      getSyntacticInstanceKind(this.#context.sourceCode, this.#fileModel(), callee.object) ??
      (INSTANCE_METHODS.has(method) ? this.#getTypeKindOnce(callee.object) : undefined);
    return kind === undefined ? undefined : { node, kind, method, instance: callee.object };
  }

  getRunCallback(node: TSESTree.CallExpression): TSESTree.CallExpressionArgument | undefined {
    if (
      (isCallOf(node, 'run') && this.getContextCall(node)?.method === 'run') ||
      (this.#mayReferenceModules() && this.#fileModel().runJobs.has(node))
    ) {
      return node.arguments[1];
    }
    return undefined;
  }

  getBindingKind(node: TSESTree.CallExpression): BindingKind | undefined {
    const known = this.#mayReferenceModules() ? this.#fileModel().bindings.get(node) : undefined;
    if (known) return known;
    const callee = skipWrappers(node.callee);
    if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      getStaticPropertyName(callee) === 'bind' &&
      this.getInstanceKind(callee.object) === 'context'
    ) {
      return 'context-bind';
    }
    return undefined;
  }

  mayHoldInstances(): boolean {
    // With type information any expression may be typed as an instance: the checker decides.
    return (this.#mayHoldInstances ??=
      readSettings(this.#context.settings).useTypeInformation === true ||
      mayHoldInstances(this.#context.sourceCode, this.#configured));
  }

  #fileModel(): FileModel {
    const context = this.#context;
    return (this.#model ??= buildFileModel(context.sourceCode, this.#configured, context.filename));
  }

  /** Binding calls, constructions and `runJob` are found through the module references only. */
  #mayReferenceModules(): boolean {
    return (this.#namesModules ??= namesContextModules(this.#context.sourceCode.text));
  }

  #getTypeKindOnce(node: TSESTree.Node): ContextKind | undefined {
    this.#typeKind ??= createTypeRecogniser(this.#context) ?? null;
    if (!this.#typeKind) return undefined;
    // Several rules ask about the same callee; the checker is asked once per node.
    const { typeKinds } = this.#fileModel();
    if (!typeKinds.has(node)) typeKinds.set(node, this.#typeKind(node) ?? null);
    return typeKinds.get(node) ?? undefined;
  }
}

/**
 * Whether the callee is a method named `method` (`x.run(...)`, `x?.['run'](...)`), read as
 * getContextCall reads it: the cheap test some queries and rules make before asking the recogniser,
 * which looks the receiver up in its scope.
 */
export function isCallOf(node: TSESTree.CallExpression, method: string): boolean {
  const callee = skipWrappers(node.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && getStaticPropertyName(callee) === method;
}
