// Plain data passed between the stages (load → analyze → plan → apply → verify → report), internal to
// the package (what it publishes is in public-types.ts). Nothing here holds a TypeScript node: positions
// are offsets into the file text the analysis saw, so the apply stage works on text alone.
import type { CallAction, Keep, Location, Range } from './public-types.js';

export type { EditedSpan, Range } from './public-types.js';

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
  /**
   * The name as the code spells it (the parameter's, or the destructured property's), when it is not the
   * key: `--param request_id=requestId` gives a `request_id` parameter the key `requestId`.
   */
  name?: string;
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
  /** The parameter was declared optional (`requestId?: string`, or an optional property): the shape says `?` too. */
  declaredOptional?: boolean;
  /** The declared type, written so the context module can name it; absent when the parameter declares none. */
  type?: KeyType;
}

/**
 * A parameter's declared type as text the context module can write: the text as the parameter's file
 * wrote it, and the names in it that must be imported (or, in JavaScript, written as `import('…')`).
 */
export interface KeyType {
  text: string;
  /** Spans of `text` (offsets into it) that name something declared elsewhere. */
  references: TypeReference[];
  /** How the checker names the type (`LambdaHttpRequest<Body>`), for reports and `--param name:Type`. */
  display: string;
  /** The text already admits `undefined` at its top level (`string | undefined`, `unknown`, `any`). */
  admitsUndefined: boolean;
  /** A function or conditional type: needs parentheses before ` | undefined`. */
  needsParentheses: boolean;
}

/** An import statement some of whose bindings only threaded parameters' type annotations use. */
export interface ImportUses {
  file: string;
  /** Deletes the whole statement. */
  statement: Range;
  /** How many bindings the statement has (all of them unused: the statement goes). */
  bindingCount: number;
  bindings: {
    name: string;
    /** The functions whose parameters use it: unused once all of them are stripped. */
    functions: string[];
    /** Deletes the binding alone (`whole`: a default or namespace binding, which goes only with the statement). */
    removal: Range & { whole?: boolean };
  }[];
}

/** Where a module specifier points: as written (a package, a path alias), or relative to a folder. */
export interface TypeModule {
  specifier: string;
  /** For a relative specifier: the folder it is relative to (the declaring file's). */
  relativeTo?: string;
}

export type TypeReference =
  /** A name imported into the declaring file: `named` (`{ Logger }`), `default` or `namespace` (`* as pino`). */
  | { start: number; end: number; kind: 'named' | 'default' | 'namespace'; module: TypeModule; name: string }
  /** The string inside `import('./types')`, rewritten relative to the context module. */
  | { start: number; end: number; kind: 'specifier'; module: TypeModule };

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
  /** Arguments that assertions on the function's test doubles pass at the parameter's position (`stub.calledWith(requestId, x)`). */
  assertionRemovals?: { file: string; range: Range }[];
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
  /**
   * For `origin`: the expression is the caller's own threaded parameter of another key (`request_id`
   * passed to `requestId`), so the two keys carry one value and become one.
   */
  sameValueAs?: string;
  /** The expression passed (the argument, or the property's value). */
  expression?: Range;
  expressionText?: string;
  /** Text deleted when the value leaves the call (argument or object property, commas included). */
  removal?: Range[];
  /** True when the expression has no side effects (identifier, literal, property read, pure template). */
  pure: boolean;
  /**
   * For an `origin`: the request's own value, which the adapter at `boundary.installs[n]` puts in the
   * context before the call runs, so the call just loses the argument.
   */
  boundaryInstall?: number;
  /** For `origin`: read twice, the expression gives the same value (a literal, a const, a binding nothing reassigns). */
  stable?: boolean;
  /** For a `stable` binding of the same file: where its declaration ends (a `run()` reading it must come after). */
  valueDeclaredAt?: number;
}

export interface CallInfo {
  id: string;
  file: string;
  line: number;
  calleeId: string;
  /** The enclosing threaded function, if any. */
  callerId?: string;
  /** The whole call expression, callee to closing parenthesis. */
  span: Range;
  /** True when the callee and the arguments before the threaded one have no side effects. */
  prefixPure: boolean;
  /** `super(...)` cannot move into a callback. */
  isSuperCall: boolean;
  /** The callee or an argument awaits or yields: it cannot move into a `() =>` callback. */
  awaitsInCall: boolean;
  args: ArgumentUse[];
  /** The call lies in a file that is not transformed (outside the paths, ignored, or unparsable). */
  untransformed: boolean;
  /**
   * No context holding a value can be active where the call runs (a test calling the function directly,
   * start-up code): a parameter it leaves out needs no `run({ key: undefined })`.
   */
  contextFree?: boolean;
  /** For a call passing a value born there: the function it is written in (absent at a module's top level). */
  scope?: Range;
  /** For a call passing a value born there: the statement of a block (`RunBlock`) that holds it, within its function. */
  statement?: { block: string; index: number };
}

/** A block where statements holding calls that pass a value may share one `run()`: what moving them would change. */
export interface RunBlock {
  file: string;
  /** The block is a function's body or the module's: a `return` in it may become `return run(...)`. */
  endsFunction: boolean;
  /** A closure in the block may lose narrowing done outside it (a branch, a loop, an earlier `if`). */
  narrowedAbove: boolean;
  indentUnit: string;
  newline: string;
  statements: RunStatement[];
}

export interface RunStatement {
  range: Range;
  indent: string;
  /** It can run inside a callback: no `var`, `yield`, label, `break`/`continue` leaving it, or declaration of a function, class, type or export. */
  movable: boolean;
  /** A `return` outside nested functions. */
  returns: boolean;
  /** An `await` outside nested functions. */
  awaits: boolean;
  /** After it, TypeScript may narrow a property read (an `if`, `switch`, assertion). */
  narrows: boolean;
  /** The first and last index of another statement that reads a name this one declares (its own index and -1: none). */
  declarationsReadFrom: number;
  declarationsReadUntil: number;
  /** Offsets where lines start from the end of the statement before to its end, except inside strings and templates: where indentation goes. */
  lineStarts: number[];
  /** Where bindings declared outside it, and assigned somewhere, are declared: a closure over them loses their narrowing. */
  reassignedOutside: number[];
}

export interface ThreadGraph {
  root: string;
  params: string[];
  functions: FunctionInfo[];
  calls: CallInfo[];
  /** Params that matched no function. */
  unmatched: string[];
  /** Keys merged into another because calls pass one's value as the other (`requestId` → `request_id`). */
  mergedKeys?: Record<string, string>;
  /** Files that were loaded but are not transformed, with why. */
  skippedFiles: { file: string; reason: string }[];
  contextModule: ContextModuleInfo;
  fileInfo: Record<string, FileStyle>;
  /** Imports that only threaded parameters' type annotations use, removed when those functions are stripped. */
  typeImports: ImportUses[];
  /** Blocks where two or more statements hold calls passing a value born there, by id. */
  runBlocks?: Record<string, RunBlock>;
  /** Per key, the type of the value the context holds (the parameters that pass it on agree on it); absent when none declares one. */
  keyTypes: Record<string, KeyType>;
  /** Where the framework sets the context once per request, and the origins that rely on it. */
  boundary?: Boundary;
  /** Log fields that carry a threaded value, and the loggers they go to. */
  logs?: LogAnalysis;
}

/**
 * The context set at the boundary: the framework adapter installed once per app, right after the
 * middleware that gives the request its value, instead of a `run()` around each handler's call.
 */
export interface Boundary {
  installs: BoundaryInstall[];
  /** Locals that only carry a covered value to calls (`const requestId = req.requestId`): gone once those arguments are. */
  carriers: { file: string; range: Range; uses: { callId: string; key: string }[] }[];
  /** Origins that read the request's value but are wrapped per call, with why the adapter cannot be trusted for them. */
  fallbacks: { at: Location; expression: string; reason: string }[];
  /** Functions the framework fills the parameter of (Nest controller methods) that may lose it once `installs[install]` is in. */
  functions?: { id: string; install: number }[];
}

export interface BoundaryInstall {
  file: string;
  /** The line of the statement it follows (or, placed first, of the one creating the app). */
  line: number;
  framework: 'express' | 'koa' | 'fastify' | 'hono' | 'hapi' | 'nest';
  /** Offset where the statement goes, and the newline + indentation written before it. */
  insertAt: number;
  lead: string;
  /** `app.use` or `app.register`: what mounts the adapter. */
  mount: string;
  /** The adapter's subpath export and the local name it is imported as. */
  adapterModule: string;
  adapterLocal: string;
  /** The options object as text: `{ assignId: false, values: (req: Request) => ({ requestId: req.requestId }) }`. */
  options: string;
  /**
   * Nest: the module written into the root module's imports instead of a statement, with `{context}`
   * where the context's local name goes, the text after it (`,`), and the names its values function
   * needs imported there.
   */
  template?: string;
  trail?: string;
  imports?: { name: string; kind: 'named' | 'default' | 'namespace'; exported: string; specifier: string; typeOnly: boolean }[];
}

/** Log calls that write a threaded value as a field, and the logger constructions they reach. */
export interface LogAnalysis {
  fields: LogField[];
  loggers: LoggerConstruction[];
}

/**
 * A field whose value is a threaded parameter: of a log call (`log.info({ requestId }, …)`) or of a
 * child logger's bindings (`rootLogger.child({ requestId })`).
 */
export interface LogField {
  file: string;
  line: number;
  /** The context key the value is threaded under. */
  key: string;
  /** The field's name in the log line (`request_id` for `{ request_id: requestId }`). */
  name: string;
  /** The function whose parameter the value is, and the local it reads there. */
  functionId: string;
  local: string;
  kind: 'call' | 'binding';
  /** Text replaced when the field goes: the property with its comma, or the call or argument left empty. */
  removal: { range: Range; text: string };
  /**
   * The mixin writes the field elsewhere in the JSON line: pino writes a mixin's keys after the child
   * bindings and before the call's own fields, so a call field after another, or a binding before another, moves.
   */
  moves: boolean;
  /** The construction the logger comes from. */
  loggerId?: string;
  /** Why the field stays whatever the plan decides (the logger cannot be followed, it is used later...). */
  blocker?: string;
  /**
   * For a binding its function returns (`logFor(requestId)`): each call of that function and how its
   * logger is used. `chained` (`logFor(id).info(…)`) can take a `run()` around the whole log call;
   * `local` (`const log = logFor(id)`, used by log calls in the same function) cannot.
   */
  wrapperCalls?: { callId: string; use: 'chained' | 'local'; logCall?: Range; awaits: boolean }[];
}

/**
 * A `pino(...)` or winston `createLogger(...)` call, and where a mixin (pino) or format (winston) goes in
 * its options; or the `JSON.stringify({ ...fields })` of the repo's own logging function (`json`), where
 * the keys go before the spread.
 */
export interface LoggerConstruction {
  id: string;
  file: string;
  line: number;
  library: 'pino' | 'winston' | 'json';
  /** Inserted at `at`: `${before}mixin: …${after}` (pino), `${before}winstonFormat(…)${after}` in the format's combine (winston). */
  insert?: { at: number; before: string; after: string };
  /** Keys every line of the logger has already (pino's `base`, winston's `defaultMeta`): the context's must not take one. */
  fixedKeys?: string[];
  /** Why no mixin can be added (it has one, its options are not a literal). */
  blocker?: string;
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
  /**
   * Where an added package import goes: into the file's last group of package imports (at its
   * alphabetical place when `sorted`), or `before` the first import when the file imports only its own
   * files. Absent: the file's imports give no order, and it goes after the last import.
   */
  packageImportSlot?: { run: { specifier: string; start: number; end: number }[]; sorted: boolean } | { before: number };
  /** The context's local name when the file already imports it from the context module. */
  contextLocal?: string;
  /** The context module's specifier through the path alias the file's own imports use (`@/context`); absent: relative. */
  contextSpecifier?: string;
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
  /**
   * In a monorepo, the package the context module belongs to: other packages import it by the package's
   * name, and the package's entry (its source) re-exports it (analyze/workspace-context.ts).
   */
  workspace?: {
    packageName: string;
    packageDir: string;
    entry: string;
    /** The `export { request } from './context.js'` the entry lacks, and where it goes (absent once it has one). */
    reexport?: { at: number; text: string };
  };
}

/**
 * The edits the plan decided, for apply to turn into text: every range to delete, every value to move
 * and every key to set, so apply decides nothing but how to write them.
 */
export interface EditPlan {
  contextModule: ContextModuleInfo;
  /**
   * The context's shape after the change, in `--param` order: each key's type as its parameters declare
   * it (`string` when none does), `optional` when a parameter was declared optional, `undefinable` when a
   * call unsets the key or a parameter's type admits `undefined` (the type then gets ` | undefined`).
   */
  contextKeys: ContextKey[];
  /**
   * Keys some call sets to `undefined` (an optional parameter not passed), so the context's shape must
   * allow `undefined` for them: `run` takes `Partial<T>`, which under exactOptionalPropertyTypes refuses
   * an explicit `undefined` unless the key's type includes it.
   */
  unsetKeys: string[];
  /** Consecutive statements that share one `run()` instead of one per call. */
  runGroups?: RunGroup[];
  /** How each transformed file writes its imports; a file not listed is never edited. */
  fileStyles: Record<string, FileStyle>;
  /** The functions that lose their threaded parameters, in analysis order. */
  functions: FunctionEdit[];
  /** The calls that change, in analysis order. */
  calls: CallEdit[];
  /** Adapters installed at the boundary (the ones some changed call relies on), and locals deleted with their last use. */
  installs?: BoundaryInstall[];
  carrierDeletions?: { file: string; range: Range }[];
  /** Log fields deleted and loggers given a mixin that reads the context. */
  logs?: LogEdits;
}

export interface LogEdits {
  /** Each deletion once (fields that share one are listed once). */
  removals: { file: string; range: Range; text: string }[];
  /**
   * `${before}mixin: …${after}` at `at`: `pinoMixin(<context>)`, or, where a field's name differs from its
   * key (`request_id`), a mixin that writes each key under the name the log calls used.
   */
  mixins: { file: string; line: number; at: number; before: string; after: string; fields?: { key: string; name: string }[]; library?: 'winston' | 'json' }[];
  /** For the report: each field deleted, and each field kept with why. */
  removed: { file: string; line: number; field: string; key: string; movesInLine?: true }[];
  kept: { file: string; line: number; field: string; key: string; reason: string }[];
}

/** Statements moved into one `run({ ... }, () => { ... })`: the calls in them set no run of their own. */
export interface RunGroup {
  file: string;
  range: Range;
  keys: { key: string; text: string }[];
  /** The statements return from the function: the group becomes `return run(...)`. */
  returns: boolean;
  /** The statements await: the callback is `async` and the group awaited. */
  awaits: boolean;
  indent: string;
  indentUnit: string;
  newline: string;
  /** Line starts inside the group that take one more indentation step. */
  lineStarts: number[];
}

export interface ContextKey {
  key: string;
  type: KeyType;
  optional: boolean;
  undefinable: boolean;
}

/** How a body or an argument reads a key from the context, and what it falls back to. */
export interface ContextRead {
  key: string;
  optional: boolean;
  /** Source text of the parameter's default value, used when the context holds nothing. */
  defaultText?: string;
}

export interface FunctionEdit {
  id: string;
  file: string;
  /**
   * Text deleted, in this order: per parameter its removal ranges then the type member its key leaves
   * (possibly in another file), then the JSDoc tags.
   */
  deletions: { file: string; range: Range }[];
  /** Statements that declare what the body still reads, at the top of the body. */
  reads?: { body: NonNullable<FunctionInfo['body']>; locals: { local: string; read: ContextRead }[] };
}

export interface CallEdit {
  id: string;
  file: string;
  line: number;
  calleeId: string;
  action: CallAction;
  /** The whole call expression: what `run(..., () => call)` wraps. */
  span: Range;
  /** Argument text deleted (values that move into `run`, or that the callee now reads from the context). */
  deletions: Range[];
  /** The keys `run({...})` sets around the call, in argument order; without `value` the key is set to `undefined`. */
  runKeys: { key: string; value?: { range: Range; text: string } }[];
  /** Keys whose value the callee now reads from the context (the caller's own parameter, dropped with it). */
  dropped: string[];
  /** Arguments replaced by a read of the context: the callee keeps its parameter, the caller lost it. */
  contextArguments: { range: Range; read: ContextRead }[];
}

/** An error the changed program has and the original did not. */
export interface AddedDiagnostic {
  at: Location;
  code: number;
  message: string;
}
