// Judges the codemod results against plan.js's targets, in one place, so the tables and the summary
// agree. A verdict without `pass` means the target could not be measured, with the reason.
import { targets } from './plan.js';

const bySize = (results, files) => results.find((r) => r.size === files);

function unmeasured(result, files) {
  if (!result) return `${files} files were not run`;
  if (result.unavailable) return result.unavailable;
  if (result.failure) return `the ${result.failure.subject === 'tsc' ? 'tsc baseline' : 'codemod'} exited ${result.failure.code} at ${files} files: ${result.failure.detail}`;
  if (result.check && (result.check.changedFiles === 0 || !result.check.typeChecks)) {
    return `the codemod's output at ${files} files is not a valid result (${result.check.changedFiles} files changed, ` +
      `${result.check.typeChecks ? 'type-checks' : `${result.check.typeErrors} tsc errors`})`;
  }
  return undefined;
}

export function codemodVerdicts(results) {
  const { wallVsTsc, memoryVsTsc, scaling } = targets;
  const at = bySize(results, wallVsTsc.files);
  const why = unmeasured(at, wallVsTsc.files);
  const verdicts = [];
  // Time is judged on the main thread's CPU time (see the report): on this shared machine a run's
  // wall time is mostly the wait for a core. Wall and whole-process CPU ratios are given beside it.
  const time = at?.ratios.codemod;
  verdicts.push({
    subject: `time at ${wallVsTsc.files} files vs tsc --noEmit`,
    pass: why ? undefined : time.cpu <= wallVsTsc.max,
    detail: why ??
      `${time.cpu.toFixed(2)}x main-thread CPU time (target <= ${wallVsTsc.max}x); wall ${time.wall.toFixed(2)}x, all threads' CPU ${time.processCpu.toFixed(2)}x`,
  });
  const memory = at?.ratios.codemod?.memory;
  verdicts.push({
    subject: `peak memory at ${memoryVsTsc.files} files vs tsc --noEmit`,
    pass: why ? undefined : memory <= memoryVsTsc.max,
    detail: why ?? `${memory.toFixed(2)}x (target <= ${memoryVsTsc.max}x)`,
  });
  const from = bySize(results, scaling.from);
  const to = bySize(results, scaling.to);
  const whyScaling = unmeasured(from, scaling.from) ?? unmeasured(to, scaling.to);
  const growth = (key) => to.medians[key].cpuMs / from.medians[key].cpuMs;
  const wallGrowth = whyScaling ? undefined : to.medians.codemod.wallMs / from.medians.codemod.wallMs;
  verdicts.push({
    subject: `time at ${scaling.to} files vs at ${scaling.from} files`,
    pass: whyScaling ? undefined : growth('codemod') <= scaling.max,
    detail: whyScaling ??
      `${growth('codemod').toFixed(2)}x main-thread CPU time (target <= ${scaling.max}x; tsc: ${growth('tsc').toFixed(2)}x); wall ${wallGrowth.toFixed(2)}x`,
  });
  return verdicts;
}
