// One value, several names: `--param request_id --param requestId` where a function passes its
// `requestId` on as a `request_id` argument name one value twice. Two keys would have each run() copy it
// into the other (`{ request_id: requestId }`), so the names become one key, as `--param request_id=requestId`
// says outright.
import type { CallInfo } from '../types.js';

/** Every parameter name searched for, with the key it holds: a key holds itself, an alias its key. */
export function keysByName(keys: readonly string[], aliases: ReadonlyMap<string, string>): Map<string, string> {
  const keyOf = new Map<string, string>(keys.map((key) => [key, key]));
  for (const [name, key] of aliases) keyOf.set(name, key);
  return keyOf;
}

/**
 * Keys that calls show to carry one value (an argument of one key is the caller's own parameter of
 * another), each mapped to the key that stays: the one the context module already declares, else the
 * one named first. Empty when every key holds a value of its own.
 */
export function sameValueMerges(calls: readonly CallInfo[], keys: readonly string[], declared: readonly string[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const rank = (key: string): number => (declared.includes(key) ? -1 : 0) * keys.length + keys.indexOf(key);
  for (const call of calls) {
    if (call.untransformed) continue;
    for (const arg of call.args) {
      if (arg.sameValueAs === undefined || !keys.includes(arg.sameValueAs) || !keys.includes(arg.key)) continue;
      const [a, b] = [find(arg.key), find(arg.sameValueAs)];
      if (a === b) continue;
      // The better-ranked root stays the root, so the kept key does not depend on the order calls are met.
      if (rank(a) < rank(b)) parent.set(b, a);
      else parent.set(a, b);
    }
  }
  return new Map(keys.filter((key) => find(key) !== key).map((key) => [key, find(key)]));
}
