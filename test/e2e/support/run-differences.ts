import { differencesBetween, shapesOfJobs } from './log-lines.js';
import { JOB_ID_PREFIXES, problemsIn } from './expectations.js';
import type { LoadRun } from './load-run.js';
import type { PlannedRequest } from './load.js';

/**
 * How a run differs from the untransformed app's run under the same requests, as readable lines: per
 * request id, per kind of job (their ids are random, so their shapes are compared), and in the run's own
 * checks. Empty when the transform changed nothing a log reader could see.
 */
export function differencesBetweenRuns(before: LoadRun, after: LoadRun, planned: readonly PlannedRequest[]): string[] {
  const jobs = JOB_ID_PREFIXES.flatMap((prefix) => {
    const [was, is] = [shapesOfJobs(before.groups, prefix), shapesOfJobs(after.groups, prefix)];
    return was.join('\n') === is.join('\n') ? [] : [`${prefix}* jobs logged [${is.join(' | ')}], before [${was.join(' | ')}]`];
  });
  const ids = planned.map((spec) => spec.id);
  return [...differencesBetween(before.groups, after.groups, ids), ...jobs, ...problemsIn(after, planned)];
}
