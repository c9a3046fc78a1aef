// What the package publishes (index.ts exports these and nothing else from the stages): the options,
// the result, the plan as the summary and `--json` show it, the file changes and the new type errors.
// Paths in the plan are relative to the project root.

/** A line in a file: absolute paths inside the stages, relative to the project root in the plan. */
export interface Location {
  file: string;
  /** 1-based. */
  line: number;
}

export interface UnthreadOptions {
  /** Files or folders to transform; a folder with a tsconfig.json (or jsconfig.json) loads that config. */
  paths: string[];
  /**
   * Parameter names to move into the context (default `['requestId']`); `name:Type` picks the type of
   * the value the key holds where parameters of that name hold several (`req:BridgeRequest`).
   */
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
  | 'shares-signature-with-kept'
  | 'another-value'
  | 'type-not-nameable'
  | 'implemented-by-unowned-code'
  | 'implementation-not-rewritable'
  | 'called-by-framework'
  | 'called-untyped';

export interface Keep {
  reason: KeepReason;
  /** Where the evidence is (the value use, the call site...). */
  at: Location;
  detail?: string;
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
  /**
   * Where the context is set once per request: the adapter statement added to each app, and the
   * origins that read the request's value but are still wrapped per call, with why.
   */
  boundary?: {
    installs: { file: string; line: number; framework: string; statement: string }[];
    fallbacks: { file: string; line: number; expression: string; reason: string }[];
  };
  /** Log fields that carried a threaded value: deleted where a logger now reads the context, or kept and why. */
  logs?: PlannedLogs;
  summary: {
    functionsStripped: number;
    functionsKept: number;
    callsRewritten: number;
    originsWrapped: number;
    /** Calls that leave out an optional parameter, wrapped so the callee still sees it unset. */
    unsetWrapped: number;
    /** Fields deleted from log calls and child-logger bindings: the logger writes them from the context. */
    logFieldsRemoved?: number;
    /** `run()` wrappers around consecutive statements whose calls set the same value (those calls then drop it). */
    sharedRuns: number;
  };
}

export interface PlannedLogs {
  /**
   * Each logger configured once to read the context, and the mixin (pino) or format (winston) it got;
   * `json`: the repo's own function that prints JSON lines, and the keys it now reads.
   */
  configured: { file: string; line: number; library: 'pino' | 'winston' | 'json'; mixin: string }[];
  /** `movesInLine`: the value is the same, at another place among the line's keys (see `moves` in the analysis). */
  fieldsRemoved: { file: string; line: number; field: string; key: string; movesInLine?: true }[];
  /** Fields left in place, with why (the logger cannot be proved to be one construction, say). */
  kept: { file: string; line: number; field: string; key: string; reason: string }[];
}

/** A half-open range of offsets `[start, end)` into one file's text. */
export interface Range {
  start: number;
  end: number;
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

/** The TypeScript that read the tsconfig, resolved the imports and verified the change. */
export interface TypeScriptUsed {
  version: string;
  /** The folder of its `typescript` package. */
  path: string;
  /** `repo`: the repository's own `typescript` (5.0 or newer); `bundled`: the one unthread ships with. */
  source: 'repo' | 'bundled';
}

export interface UnthreadResult {
  plan: Plan;
  typescript: TypeScriptUsed;
  changes: FileChange[];
  /** `undefined` when verification was skipped. */
  newErrors: NewDiagnostic[] | undefined;
  notes: string[];
}
