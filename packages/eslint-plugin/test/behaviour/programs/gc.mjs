// Shared by the programs that prove what a store or an instance keeps alive: a full garbage collection
// on demand, without a command-line flag (the programs run with the same flags on every runtime).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** Whether the object behind `ref` survives two full collections (a macrotask between them). */
export async function survivesCollection(ref) {
  for (let round = 0; round < 2; round++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
  return ref.deref() !== undefined;
}
