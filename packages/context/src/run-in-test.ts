import { setImmediate as afterThisTurn } from 'node:timers';
import type { Context, ContextShape } from './context.js';

/**
 * The run of an async test body: a thenable the test must `await` or return. Not a native promise on
 * purpose: `await` reads a native promise's state without calling its `then`, and the call to `then`
 * is how this run knows that the test waited for it.
 */
export class TestRun<R> implements PromiseLike<R> {
  #settled: Promise<R>;
  #awaited = false;

  constructor(settled: Promise<R>, describe: string) {
    this.#settled = settled;
    // A forgotten run that fails reports once, below, not as an unhandled rejection too; a test
    // that awaits gets the rejection through its own `then`.
    settled.catch(() => undefined);
    // After every microtask and tick of the current turn: an `await` or a `return` to the runner has
    // called `then` by then. Taken from node:timers, which fake timers leave alone. Thrown there, the
    // error is uncaught, which every test runner reports as a failure.
    afterThisTurn(() => {
      if (this.#awaited) return;
      throw new Error(
        `${describe} was neither awaited nor returned: the test can end before its body does, and ` +
          'then passes without the assertions in it. Write `await runInTest(...)` or `return runInTest(...)`.',
      );
    });
  }

  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#awaited = true;
    return this.#settled.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<R> {
    this.#awaited = true;
    return this.#settled.finally(onFinally);
  }
}

/**
 * `context.run(values, fn)` for unit tests (vitest, jest, node:test): runs `fn` in the context, so
 * that code under test which reads it finds the values. A synchronous `fn`'s result is returned as
 * it is. An async `fn` gives a {@link TestRun} that the test must await or return; one it forgets
 * fails loudly (an uncaught error naming the fix) instead of passing with assertions that never ran
 * inside the test.
 */
export function runInTest<T extends ContextShape<T>, R>(
  context: Context<T>,
  values: Partial<T>,
  fn: () => Promise<R>,
): TestRun<R>;
export function runInTest<T extends ContextShape<T>, R>(context: Context<T>, values: Partial<T>, fn: () => R): R;
export function runInTest<T extends ContextShape<T>, R>(
  context: Context<T>,
  values: Partial<T>,
  fn: () => R,
): R | TestRun<Awaited<R>> {
  const result = context.run(values, fn);
  if (!isThenable(result)) return result;
  return new TestRun(Promise.resolve(result), `runInTest(${context.name}, ...)`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
