import type { KeepReason } from '../public-types.js';

/** One sentence per keep reason, for the summary and the README. */
export const KEEP_REASON_TEXT: Record<KeepReason, string> = {
  'used-as-value': 'used as a value (stored, passed, returned, bound or typeof): its callers are not all known',
  'exported-from-entry-point': "exported from the package's entry point: callers outside the repo pass the value",
  'implements-unowned-signature': "implements or overrides a signature the repo doesn't own",
  'typed-by-signature': 'its variable is annotated with a function type that has the parameter',
  generator: 'a generator: its body runs later, on whichever context is current at each next()',
  'uses-arguments': 'reads `arguments`, whose positions would shift',
  'reassigns-parameter': 'assigns to the parameter, so it is not the same value throughout',
  overloads: 'has overload signatures',
  'declaration-file': 'declared in a .d.ts or node_modules',
  'parameter-property': 'a constructor parameter property (it is a class field too)',
  'evaluation-order': 'a caller passes a value that cannot move into run() without reordering evaluation',
  'unknown-argument': 'a caller passes the value in a way that cannot be separated (spread, non-literal options object)',
  'called-from-untransformed-file': 'called from a file this run does not change (outside the paths, ignored, or unparsable)',
  'shares-signature-with-kept': 'shares its signature with a function that is kept (interface member, implementation or override)',
  'another-value': "its parameter has the name of a context key but holds another value (another type, no call passes it on): it is not that key",
  'type-not-nameable': "its parameter's type cannot be named from the context module (a type parameter, a type its file does not export)",
  'implemented-by-unowned-code': "implemented by code the repo doesn't own (a class that inherits the member from a package)",
  'implementation-not-rewritable': 'an implementation of it cannot lose the parameter with it (not a function the repo declares, another parameter shape, or a file this run does not change)',
  'called-by-framework': 'filled by the framework (a decorated parameter, a registered handler); set the context at the boundary first',
  'called-untyped': 'a call on a value of type `any` may reach it and passes the value by name: that call cannot be rewritten',
};
