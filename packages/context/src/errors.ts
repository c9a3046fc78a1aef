/**
 * Thrown by `context.get(key)` when no value is set for `key` where the call runs. The message names
 * the context, the key, and the call that would have set it, because the usual cause is code that
 * runs outside any request (a startup hook, a timer created at module load, a lost callback).
 */
export class MissingContextError extends Error {
  override readonly name = 'MissingContextError';
  readonly contextName: string;
  readonly key: string;

  constructor(contextName: string, key: string, inAnyRun: boolean) {
    const where = inAnyRun
      ? `the active ${contextName}.run(...) did not set it`
      : `no ${contextName}.run(...) is active here`;
    super(
      `Missing "${key}" in context "${contextName}": ${where}. ` +
        `Wrap the caller in ${contextName}.run({ ${key} }, () => ...), use the request middleware ` +
        `from @unthread/context/<framework>, or read it with ${contextName}.tryGet('${key}') where it is optional.`,
    );
    this.contextName = contextName;
    this.key = key;
  }
}
