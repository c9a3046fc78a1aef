// All-or-nothing writes: every new content is staged in a temporary file beside its target, then the
// temporaries are renamed over the targets. A failure puts back what was already replaced and removes
// what was created. The renames run synchronously with a SIGINT/SIGTERM listener installed, so a signal
// that arrives meanwhile is held until the last rename instead of killing the process between two.
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { FileChange } from '../public-types.js';

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

export function writeAllOrNothing(changes: readonly FileChange[]): void {
  checkWritable(changes);
  const staged: { change: FileChange; temp: string }[] = [];
  const replaced: FileChange[] = [];
  const createdDirs: string[] = [];
  const onSignal = (): void => undefined;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const change of changes) {
      const dir = path.dirname(change.file);
      if (change.before === undefined && !existsSync(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        if (first !== undefined) createdDirs.push(first);
      }
      const temp = path.join(dir, `.${path.basename(change.file)}.unthread-${process.pid}.tmp`);
      writeFileSync(temp, change.after);
      staged.push({ change, temp });
    }
    // A fault-injection seam for the rollback test: fail after this many renames.
    const failAfter = Number(process.env['UNTHREAD_FAIL_AFTER_RENAMES'] ?? Number.NaN);
    for (const { change, temp } of staged) {
      if (replaced.length === failAfter) throw new Error(`simulated failure after ${failAfter} rename(s)`);
      renameSync(temp, change.file);
      replaced.push(change);
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

function rollBack(staged: { change: FileChange; temp: string }[], replaced: FileChange[]): void {
  for (const change of replaced) {
    try {
      if (change.before === undefined) rmSync(change.file, { force: true });
      else writeFileSync(change.file, change.before);
    } catch {
      // Best effort: the remaining files are still restored.
    }
  }
  for (const { temp } of staged) rmSync(temp, { force: true });
}
