// The log edits: fields deleted from log calls and child bindings, and what makes each configured
// logger write them from the context instead: a pino `mixin`, or a winston format first in its combine.
import type { LogEdits } from '../types.js';
import type { FileEdits } from './text-edits.js';

/** A binding a file needs from one of the runtime's logger subpaths. */
export interface LoggerImport {
  file: string;
  name: 'pinoMixin' | 'winstonFormat';
  specifier: string;
}

/** Adds the deletions, mixins and formats; returns the imports they need. */
export function addLogEdits(
  logs: LogEdits,
  editsOf: (file: string) => FileEdits,
  contextNameIn: (file: string) => string,
  quoteIn: (file: string) => string,
): LoggerImport[] {
  for (const { file, range, text } of logs.removals) editsOf(file).add({ ...range, text });
  const imports = new Map<string, LoggerImport>();
  for (const mixin of logs.mixins) {
    const name = contextNameIn(mixin.file);
    const q = quoteIn(mixin.file);
    const read = mixin.fields === undefined ? undefined : `() => ({ ${mixin.fields.map((f) => `${propertyName(f.name, q)}: ${name}.tryGet(${q}${f.key}${q})`).join(', ')} })`;
    let text: string;
    if (mixin.library === 'json') {
      text = (mixin.fields ?? []).map((f) => `${propertyName(f.name, q)}: ${name}.tryGet(${q}${f.key}${q})`).join(', ');
    } else if (mixin.library === 'winston') {
      imports.set(`${mixin.file}\0winston`, { file: mixin.file, name: 'winstonFormat', specifier: '@unthread/context/winston' });
      text = `winstonFormat(${read ?? name})`;
    } else {
      if (read === undefined) imports.set(`${mixin.file}\0pino`, { file: mixin.file, name: 'pinoMixin', specifier: '@unthread/context/pino' });
      text = `mixin: ${read ?? `pinoMixin(${name})`}`;
    }
    editsOf(mixin.file).add({ start: mixin.at, end: mixin.at, text: `${mixin.before}${text}${mixin.after}` });
  }
  return [...imports.values()];
}

function propertyName(name: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `${quote}${name}${quote}`;
}
