// One big file: the codemod CLI on a service whose src/big.ts holds N functions (generate.js
// generateBigFile), at N and 2N functions, printing the diff (`--dry`) and writing. Twice the
// functions in one file should take about twice the time: applying thousands of edits to one text
// and diffing it must grow with the file, not with its square (a square would make it 4x). Judged
// on main-thread CPU time as a ratio between the two sizes, never as an absolute time.
import { countThreadedParameters, checkOutput } from './check-output.js';
import { measureNodeProcess } from '../lib/child.js';
import { copyTree, freshDir, removeScratch } from '../lib/workdir.js';
import { writeBigFile } from './generate.js';
import { bigFile } from './plan.js';
import { codemodCli } from './subjects.js';
import { median } from '../lib/stats.js';

export const bigFileModes = {
  dry: { label: 'codemod `--dry` (prints the diff)', args: ['.', '--dry'] },
  write: { label: 'codemod (verifies and writes)', args: ['.'] },
};

/** Per size and mode: median main-thread CPU and wall time over `rounds`, and the output check of the larger size. */
export async function measureBigFile({ rounds, log }) {
  const sizes = [bigFile.functions, bigFile.functions * 2];
  const result = { sizes, rounds, medians: {}, failure: undefined, check: undefined };
  try {
    for (const functions of sizes) {
      const pristine = freshDir(`big-file-${functions}`);
      writeBigFile(pristine, functions);
      const parametersBefore = countThreadedParameters(pristine);
      for (const [mode, { args }] of Object.entries(bigFileModes)) {
        const runs = [];
        for (let round = 0; round < rounds; round++) {
          const cwd = copyTree(pristine, `big-file-work-${functions}`);
          const run = await measureNodeProcess({ script: codemodCli, args, cwd });
          if (run.code !== 0) {
            result.failure = `${mode} at ${functions} functions exited ${run.code}: ${run.stderr.trim().split('\n').slice(-2).join(' / ')}`;
            log(`  big file: ${result.failure}`);
            return result;
          }
          if (mode === 'write' && functions === sizes[1] && round === 0) result.check = await checkOutput(cwd, parametersBefore);
          runs.push(run);
          log(`  big file, ${functions} functions, ${mode}, round ${round + 1}/${rounds}: ${(run.cpuMs / 1000).toFixed(1)} s main-thread CPU, ${(run.wallMs / 1000).toFixed(1)} s wall`);
        }
        result.medians[`${mode}:${functions}`] = { cpuMs: median(runs.map((r) => r.cpuMs)), wallMs: median(runs.map((r) => r.wallMs)), maxRssKiB: median(runs.map((r) => r.maxRssKiB)) };
      }
    }
  } finally {
    if (!process.env.UNTHREAD_BENCH_KEEP) removeScratch(sizes.flatMap((n) => [`big-file-${n}`, `big-file-work-${n}`]));
  }
  return result;
}

/** One verdict per mode: CPU time at 2N functions / at N. */
export function bigFileVerdicts(result) {
  return Object.entries(bigFileModes).map(([mode, { label }]) => {
    const subject = `one file of ${bigFile.functions * 2} functions vs ${bigFile.functions}, ${label}`;
    if (!result) return { subject, detail: 'not run' };
    const why = result.failure ?? (result.check && !result.check.typeChecks ? `the output does not type-check (${result.check.typeErrors} tsc errors)` : undefined);
    if (why) return { subject, detail: why };
    const [small, large] = result.sizes.map((n) => result.medians[`${mode}:${n}`]);
    const growth = large.cpuMs / small.cpuMs;
    return {
      subject,
      pass: growth <= bigFile.maxGrowth,
      detail: `${growth.toFixed(2)}x main-thread CPU time (target <= ${bigFile.maxGrowth}x; linear is 2x or less, quadratic 4x); wall ${(large.wallMs / small.wallMs).toFixed(2)}x`,
    };
  });
}

export { bigFile };
