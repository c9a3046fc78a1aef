// All-or-nothing writes: every new content is staged in a temporary file beside its target, then the
// temporaries are renamed over the targets. A failure puts back what was already replaced and removes
// what was created. The renames run synchronously with a SIGINT/SIGTERM listener installed, so a signal
// that arrives meanwhile is held until the last rename instead of killing the process between two.
//
// A file keeps what the edit does not own: its byte order mark (and UTF-16), its mode (the executable
// bit), its symlinks (the link's real file is written, and only inside the repository). A file whose
// bytes changed since the codemod read them (an editor, another run) stops the write: the change was
// computed from text that is no longer there.
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { FileChange } from '../public-types.js';
import { byteOrderMarkOf, decodeText, encodeText } from './file-encoding.js';
import { isInside, realPathOf } from './symlinks.js';

export interface WriteOptions {
  /** Refuse any write whose real place (symlinks resolved) is outside this folder. */
  repository?: string;
}

/** One change ready to land: where its bytes go, what they are, and the bytes it replaces. */
interface Target {
  change: FileChange;
  /** The real path written (symlinks resolved). */
  file: string;
  bytes: Buffer;
  /** The file's bytes before, or undefined for a created file. */
  original: Buffer | undefined;
  mode: number | undefined;
}

export function checkWritable(changes: readonly FileChange[]): void {
  for (const change of changes) {
    const target = change.before === undefined ? path.dirname(change.file) : change.file;
    if (change.before === undefined && !existsSync(target)) continue;
    try {
      accessSync(target, constants.W_OK);
      // A file whose mode grants nobody write access was marked read-only on purpose, even for root.
      if (change.before !== undefined && (statSync(target).mode & 0o222) === 0) throw new Error('read-only');
    } catch {
      throw new InputError(`${change.file}: not writable; fix its permissions (chmod u+w) and run again. Nothing was written.`);
    }
  }
}

export function writeAllOrNothing(changes: readonly FileChange[], options: WriteOptions = {}): void {
  checkWritable(changes);
  const targets = changes.map((change) => targetOf(change, options));
  const files = new Set<string>();
  for (const target of targets) {
    // Two names (symlinks) of one file: the second write would silently replace the first.
    if (files.has(target.file)) throw new InputError(`${target.change.file}: another change writes the same file (${target.file}); nothing was written`);
    files.add(target.file);
  }
  const staged: { target: Target; temp: string }[] = [];
  const replaced: Target[] = [];
  const createdDirs: string[] = [];
  const onSignal = (): void => undefined;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const target of targets) {
      const dir = path.dirname(target.file);
      if (target.original === undefined && !existsSync(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        if (first !== undefined) createdDirs.push(first);
      }
      const temp = path.join(dir, `.${path.basename(target.file)}.unthread-${process.pid}.tmp`);
      writeFileSync(temp, target.bytes);
      if (target.mode !== undefined) chmodSync(temp, target.mode);
      staged.push({ target, temp });
    }
    // A fault-injection seam for the rollback test: fail after this many renames.
    const failAfter = Number(process.env['UNTHREAD_FAIL_AFTER_RENAMES'] ?? Number.NaN);
    for (const { target, temp } of staged) {
      if (replaced.length === failAfter) throw new Error(`simulated failure after ${failAfter} rename(s)`);
      renameSync(temp, target.file);
      replaced.push(target);
    }
  } catch (error) {
    rollBack(staged, replaced);
    for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function targetOf(change: FileChange, options: WriteOptions): Target {
  const file = realPathOf(change.file);
  if (options.repository !== undefined && !isInside(file, realPathOf(options.repository))) {
    throw new InputError(`${change.file}: its real place ${file} is outside the repository; nothing was written`);
  }
  if (change.before === undefined) {
    if (existsSync(file)) throw new Error(`${change.file} appeared while the codemod ran; nothing was written, run it again`);
    return { change, file, bytes: Buffer.from(change.after, 'utf8'), original: undefined, mode: undefined };
  }
  const original = readFileSync(file);
  const mark = byteOrderMarkOf(original);
  if (decodeText(original, mark) !== change.before) {
    throw new Error(`${change.file} changed on disk while the codemod ran; nothing was written, run it again`);
  }
  return { change, file, bytes: encodeText(change.after, mark), original, mode: statSync(file).mode & 0o7777 };
}

function rollBack(staged: { target: Target; temp: string }[], replaced: Target[]): void {
  for (const target of replaced) {
    try {
      if (target.original === undefined) rmSync(target.file, { force: true });
      else writeFileSync(target.file, target.original);
    } catch {
      // Best effort: the remaining files are still restored.
    }
  }
  for (const { temp } of staged) rmSync(temp, { force: true });
}
