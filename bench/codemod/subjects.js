// The two programs measured on every generated service, as commands a reader can paste: the codemod
// CLI (verification on, as a user runs it) and the TypeScript compiler's type-check of the same repo.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchRoot, repoRoot } from '../lib/paths.js';

export const codemodCli = join(repoRoot, 'packages/codemod/dist/cli.js');
export const codemodDist = join(repoRoot, 'packages/codemod/dist');
// Through bench/node_modules (not the pnpm store path) so the printed command stays readable.
export const tscBin = join(benchRoot, 'node_modules/typescript/bin/tsc');

export const subjects = {
  tsc: { label: '`tsc --noEmit`', script: tscBin, args: ['--noEmit', '-p', '.'] },
  codemod: { label: 'codemod (with verification)', script: codemodCli, args: ['.', '--param', 'requestId'] },
  // Diagnostic only: how much of the codemod's time is the before/after type-check.
  codemodNoVerify: { label: 'codemod `--no-verify` (diagnostic)', script: codemodCli, args: ['.', '--param', 'requestId', '--no-verify'] },
};

/** The command as the report prints it, run from the generated service's root. */
export function commandLine(subject) {
  return ['node', subject.script.replace(repoRoot, '<repo>/'), ...subject.args].join(' ');
}

/** Why the codemod cannot be measured yet, or undefined when its CLI exists. */
export function codemodUnavailable() {
  if (!existsSync(codemodCli)) return `${commandLine(subjects.codemod).split(' ')[1]} does not exist: the CLI is not built (run \`tsc -b\`) or not written yet`;
  return undefined;
}
