// The log edits: fields deleted from log calls and child bindings, and the mixin that makes each
// configured pino logger write them from the context instead.
import type { FileStyle, LogEdits } from '../types.js';
import type { FileEdits } from './text-edits.js';

/** Adds the deletions and mixins; returns the files whose logger now uses `pinoMixin`, which need its import. */
export function addLogEdits(logs: LogEdits, editsOf: (file: string) => FileEdits, contextNameIn: (file: string) => string, quoteIn: (file: string) => string): string[] {
  for (const { file, range, text } of logs.removals) editsOf(file).add({ ...range, text });
  const needPinoMixin = new Set<string>();
  for (const mixin of logs.mixins) {
    const name = contextNameIn(mixin.file);
    if (mixin.fields === undefined) needPinoMixin.add(mixin.file);
    const q = quoteIn(mixin.file);
    const expression =
      mixin.fields === undefined
        ? `pinoMixin(${name})`
        : `() => ({ ${mixin.fields.map((f) => `${propertyName(f.name, q)}: ${name}.tryGet(${q}${f.key}${q})`).join(', ')} })`;
    editsOf(mixin.file).add({ start: mixin.at, end: mixin.at, text: `${mixin.before}mixin: ${expression}${mixin.after}` });
  }
  return [...needPinoMixin];
}

export function pinoMixinImport(style: FileStyle): string {
  const q = style.quote;
  const end = style.semicolon ? ';' : '';
  return style.module === 'cjs'
    ? `const { pinoMixin } = require(${q}@unthread/context/pino${q})${end}`
    : `import { pinoMixin } from ${q}@unthread/context/pino${q}${end}`;
}

function propertyName(name: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `${quote}${name}${quote}`;
}
