export { runUnthread, type RunTimings } from './run.js';
export { writeAllOrNothing } from './write/write-files.js';
export { formatSummary, formatNewErrors } from './report/summary.js';
export { formatDiff } from './report/diff.js';
export { InputError } from './errors.js';
export type * from './public-types.js';
