/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- without Node types the instance is unresolved: that is what this fixture is for */
// A service whose tsconfig lists no types (TypeScript 6's default): `node:async_hooks` has no types in
// its program, and the instance is visible only through a type alias, so only the checker could tell.
import type { AsyncLocalStorage } from 'node:async_hooks';

type RequestStorage = AsyncLocalStorage<{ id: string }>;

export function handle(storage: RequestStorage, next: () => void): void {
  storage.enterWith({ id: '1' });
  next();
}
