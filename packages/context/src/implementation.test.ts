import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';

/**
 * The suite runs on Node 20 (async_hooks) and Node 24 (AsyncContextFrame). This reproduces one
 * behaviour that differs between them, so a run that claims to cover AsyncContextFrame proves it
 * did: `enterWith` inside a `setInterval` callback is carried to the next tick on async_hooks only.
 */
function enterWithCarriesAcrossIntervalTicks(): Promise<boolean> {
  const als = new AsyncLocalStorage<number>();
  return new Promise((resolve) => {
    let tick = 0;
    const timer = setInterval(() => {
      tick++;
      if (tick === 1) {
        als.enterWith(1);
        return;
      }
      clearInterval(timer);
      resolve(als.getStore() === 1);
    }, 1);
  });
}

const major = Number(process.versions.node.split('.')[0]);
const expected = major >= 24 ? 'AsyncContextFrame' : 'async_hooks';

describe(`AsyncLocalStorage on Node ${process.versions.node}`, () => {
  it(`is built on ${expected}`, async () => {
    const carried = await enterWithCarriesAcrossIntervalTicks();
    expect(carried ? 'async_hooks' : 'AsyncContextFrame').toBe(expected);
  });
});
