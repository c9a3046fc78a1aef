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
