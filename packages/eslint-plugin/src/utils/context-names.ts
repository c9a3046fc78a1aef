// The kinds and names every part of the plugin agrees on: which modules make async context, which
// methods an instance has, which methods add an event listener. Kept in one module that imports
// nothing, so the recogniser, the settings reader, the module scanner and the rules all depend on it
// and never on each other for these.

/** `storage`: a node:async_hooks AsyncLocalStorage. `context`: an @unthread/context context. */
export type ContextKind = 'storage' | 'context';

/** How a call binds a function or an emitter to the current context. */
export type BindingKind =
  | 'storage-bind' // AsyncLocalStorage.bind(fn)
  | 'storage-snapshot' // AsyncLocalStorage.snapshot()
  | 'resource-bind' // AsyncResource.bind(fn)
  | 'bind-callback' // bindCallback(fn) from @unthread/context
  | 'bind-emitter' // bindEmitter(emitter, ...) from @unthread/context
  | 'context-snapshot' // snapshot() from @unthread/context
  | 'context-bind'; // ctx.bind(fn) on an @unthread/context context

/** Node's module of AsyncLocalStorage and AsyncResource, with and without the `node:` prefix. */
export const HOOK_MODULES: ReadonlySet<string> = new Set(['async_hooks', 'node:async_hooks']);

/** The module of `createContext`, `bindCallback`, `runJob`, `bindEmitter` and `snapshot`. */
export const CONTEXT_MODULE = '@unthread/context';

/** Methods of AsyncLocalStorage instances and @unthread/context contexts. */
export const INSTANCE_METHODS: ReadonlySet<string> = new Set([
  'run',
  'exit',
  'enterWith',
  'withScope',
  'getStore',
  'disable',
  'get',
  'tryGet',
  'all',
  'bind',
]);

/** EventEmitter methods that add a listener (whose callback runs in the context of `emit()`). */
export const LISTENER_METHODS: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);
