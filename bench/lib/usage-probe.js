// Preloaded with `node --import` into a measured process (the codemod CLI, tsc, an ESLint run): on
// exit it writes the process's own resource usage to the file named by UNTHREAD_BENCH_USAGE.
// - maxRSS: the peak resident set, measured by the kernel: no sampling, no /usr/bin/time.
// - main-thread CPU: user + system time of the JavaScript thread alone (/proc/self/task/<pid>/stat),
//   plus finished child processes (the codemod's `git status`). The programs measured here run on
//   one thread; V8's GC and compiler helper threads run beside it on other cores. Of the time
//   measures, the main thread's CPU time is the one other processes on a busy machine move least.
// - process CPU: every thread, from process.resourceUsage(), for reference.
// /proc fields are in clock ticks (1/100 s on Linux); where /proc is missing they are reported as null.
import { readFileSync, writeFileSync } from 'node:fs';

/** Fields of a /proc stat line after the parenthesised command name: field N overall is [N - 3]. */
function statFields(path) {
  try {
    return readFileSync(path, 'utf8').split(') ')[1].split(' ').map(Number);
  } catch {
    return undefined;
  }
}

const TICK_MS = 10;

const out = process.env.UNTHREAD_BENCH_USAGE;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const main = statFields(`/proc/self/task/${process.pid}/stat`);
    const self = statFields('/proc/self/stat');
    const childrenMs = self ? (self[13] + self[14]) * TICK_MS : 0;
    writeFileSync(out, JSON.stringify({
      maxRssKiB: usage.maxRSS,
      processCpuMs: usage.userCPUTime / 1000 + usage.systemCPUTime / 1000 + childrenMs,
      mainThreadCpuMs: main ? (main[11] + main[12]) * TICK_MS + childrenMs : null,
    }));
  });
}
