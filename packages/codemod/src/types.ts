// Plain data passed between the stages (load → analyze → plan → apply → verify → report). Nothing here
// holds a TypeScript node: positions are offsets into the file text the analysis saw, so the plan can
// be written as JSON and the apply stage works on text alone.

/** A half-open range of offsets `[start, end)` into one file's text. */
export interface Range {
  start: number;
  end: number;
}

export interface UnthreadOptions {
  /** Files or folders to transform; a folder with a tsconfig.json (or jsconfig.json) loads that config. */
  paths: string[];
  /** Parameter names to move into the context (default `['requestId']`). */
  params?: string[];
  /** The context module, relative to the project root (default `src/context.ts`, `.js` in JS projects). */
  contextModule?: string;
  /** An explicit tsconfig (overrides discovery). */
  tsconfig?: string;
  /** Type-check before and after in memory; new errors stop the write (default true). */
  verify?: boolean;
  /** Working directory the paths are relative to (default `process.cwd()`). */
  cwd?: string;
  /** Told each stage as it starts, with its size (`analysing 1,204 files`): long runs show where they are. */
  onProgress?: (message: string) => void;
}

/** Why a function keeps its parameter. Each has a sentence in report/keep-reasons.ts. */
export type KeepReason =
  | 'used-as-value'
  | 'exported-from-entry-point'
  | 'implements-unowned-signature'
  | 'typed-by-signature'
  | 'generator'
  | 'uses-arguments'
  | 'reassigns-parameter'
  | 'overloads'
  | 'declaration-file'
  | 'parameter-property'
  | 'evaluation-order'
  | 'unknown-argument'
  | 'called-from-untransformed-file'
  | 'shares-signature-with-kept';

export interface Keep {
  reason: KeepReason;
  /** Where the evidence is (the value use, the call site...), `file:line`. */
  at: string;
  detail?: string;
}

export type FunctionKind =
  | 'function'
  | 'arrow'
  | 'function-expression'
  | 'method'
  | 'object-method'
  | 'constructor'
  | 'signature'
  | 'external';

/** One threaded parameter of one function. */
export interface ThreadedParam {
  /** The context key (the parameter name, or the destructured property name). */
  key: string;
  /** The local name the body reads (differs from `key` for `{ requestId: request_id }`). */
  local: string;
  /** Position in the parameter list. */
  index: number;
  /** Position in a call's argument list (differs from `index` after a `this` parameter). */
  argumentIndex: number;
  /** `positional`: the parameter itself; `property`: a key destructured from an options parameter. */
  shape: 'positional' | 'property';
  optional: boolean;
  /** Source text of the default value, if any (applied when reading from the context). */
  defaultText?: string;
  /** Text ranges deleted when the parameter is stripped (the parameter or the binding element, commas included). */
  removal: Range[];
  /** A property of an object type the key leaves (`{ user: User; requestId: string }`). */
  typeMemberRemoval?: { file: string; range: Range };
  /** References to the local in the body that are not arguments threaded to another function. */
  otherReads: number;
  /** The declared type when it is a simple keyword type (`string`, `number`), for the context's shape. */
  typeText?: string;
}

export interface FunctionInfo {
  id: string;
  file: string;
  line: number;
  name: string;
  kind: FunctionKind;
  params: ThreadedParam[];
  /** Reasons found by looking at the function itself and its uses; the plan may add more. */
  keeps: Keep[];
  /** Functions that must change together (an interface member and its implementations, overrides). */
  linked: string[];
  /** Where the read statement goes; absent for bodiless functions. */
  body?: {
    /** Offset right after `{` (block body) or of the expression (expression body). */
    insertAt: number;
    indent: string;
    newline: string;
    /** Set for an arrow function with an expression body: the expression to turn into `return`. */
    expression?: Range;
  };
  jsdocRemovals: Range[];
}

/** What one argument slot of a call passes for one threaded parameter of the callee. */
export interface ArgumentUse {
  key: string;
  /**
   * `own-param`: the caller's own threaded parameter with the same key, read in the caller's own body;
   * `origin`: any other expression (the value is born here); `missing`: not passed;
   * `unknown`: the value cannot be separated (a spread, an options object that is not a literal).
   */
  kind: 'own-param' | 'origin' | 'missing' | 'unknown';
  /** The caller function whose parameter is passed (for `own-param`). */
  ownerId?: string;
  /**
   * For `own-param`: the caller's parameter has a default, so what it passed on may be that default
   * where the context holds nothing; the call must carry the caller's value, not drop it.
   */
  ownerHasDefault?: boolean;
  /** The expression passed (the argument, or the property's value). */
  expression?: Range;
  expressionText?: string;
  /** Text deleted when the value leaves the call (argument or object property, commas included). */
  removal?: Range[];
  /** True when the expression has no side effects (identifier, literal, property read, pure template). */
  pure: boolean;
}

export interface CallInfo {
  id: string;
  file: string;
  line: number;
  calleeId: string;
  /** The enclosing threaded function, if any. */
  callerId?: string;
  call: Range;
  /** True when the callee and the arguments before the threaded one have no side effects. */
  prefixPure: boolean;
  /** `super(...)` cannot move into a callback. */
  isSuperCall: boolean;
  /** The callee or an argument awaits or yields: it cannot move into a `() =>` callback. */
  awaitsInCall: boolean;
  args: ArgumentUse[];
  /** The call lies in a file that is not transformed (outside the paths, ignored, or unparsable). */
  untransformed: boolean;
}

export interface ThreadGraph {
  root: string;
  params: string[];
  functions: FunctionInfo[];
  calls: CallInfo[];
  /** Params that matched no function. */
  unmatched: string[];
  /** Files that were loaded but are not transformed, with why. */
  skippedFiles: { file: string; reason: string }[];
  contextModule: ContextModuleInfo;
  fileInfo: Record<string, FileStyle>;
}

/** How a file writes its imports, so added imports look like the file's own. */
export interface FileStyle {
  module: 'esm' | 'cjs';
  quote: "'" | '"';
  semicolon: boolean;
  /** Whether relative specifiers carry `.js`. */
  jsExtension: boolean;
  /** Offset after the last import / require statement, or of the first statement. */
  importInsertAt: number;
  /** Whether an import was found (decides whether a blank line follows the added one). */
  hasImports: boolean;
  /** The context's local name when the file already imports it from the context module. */
  contextLocal?: string;
  /** Identifiers in the file that start with the context's name (the import must not shadow them). */
  takenNames: string[];
  newline: string;
}

/** The module that creates the context: found (and maybe extended) or to be created. */
export interface ContextModuleInfo {
  file: string;
  exists: boolean;
  /** The exported variable holding the context. */
  exportName: string;
  /** Keys the context's shape already has. */
  existingKeys: string[];
  /**
   * Where each existing key's type ends, so ` | undefined` can be added when a call must unset the key;
   * absent for keys whose type already admits `undefined`.
   */
  narrowKeyTypes?: { key: string; start: number; end: number; parenthesize: boolean }[];
  /** Where new keys go in an existing shape literal (`{ requestId: string }`), and how they are separated. */
  shapeInsertAt?: number;
  shapePrefix?: string;
  shapeSuffix?: string;
  module: 'esm' | 'cjs';
  language: 'ts' | 'js';
}

export type CallAction = 'drop-argument' | 'wrap-in-run' | 'pass-from-context';

export interface PlannedFunction {
  id: string;
  file: string;
  line: number;
  name: string;
  params: string[];
  decision: 'strip' | 'keep';
  keeps: Keep[];
  readsFromContext: boolean;
}

export interface PlannedCall {
  id: string;
  file: string;
  line: number;
  callee: string;
  calleeName: string;
  action: CallAction;
  /** Keys moved into `run({...})` with the expression text they take. */
  wrapped: { key: string; expression: string }[];
  /** Keys the call did not pass: `run({ key: undefined })` keeps the callee from reading the caller's value. */
  unset: string[];
  dropped: string[];
  passed: string[];
}

export interface Plan {
  root: string;
  params: string[];
  contextModule: string;
  contextName: string;
  functions: PlannedFunction[];
  calls: PlannedCall[];
  unmatched: string[];
  /** Params the existing context module already holds (a previous run migrated them). */
  alreadyInContext: string[];
  skippedFiles: { file: string; reason: string }[];
  summary: {
    functionsStripped: number;
    functionsKept: number;
    callsRewritten: number;
    originsWrapped: number;
    /** Calls that leave out an optional parameter, wrapped so the callee still sees it unset. */
    unsetWrapped: number;
  };
}

export interface FileChange {
  file: string;
  before: string | undefined;
  after: string;
  /** Where `after` differs from `before`, in order; lets the diff look at these parts only. Absent: compare the whole texts. */
  edited?: EditedSpan[];
}

/** One edited part of a file: its range in the old text and in the new one. */
export interface EditedSpan {
  before: Range;
  after: Range;
}

export interface NewDiagnostic {
  file: string;
  line: number;
  code: number;
  message: string;
  /** Plan entries (function or call ids) in the same file, the likely cause. */
  causes: string[];
}

export interface UnthreadResult {
  plan: Plan;
  changes: FileChange[];
  /** `undefined` when verification was skipped. */
  newErrors: NewDiagnostic[] | undefined;
  notes: string[];
}
