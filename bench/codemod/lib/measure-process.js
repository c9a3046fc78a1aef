// Runs one command in a child process and measures it from outside (wall time, from spawn to exit,
// Node start-up included for every subject alike) and from inside (peak RSS and CPU through
// usage-probe.js: `cpuMs` is the main thread's CPU time plus finished children, `processCpuMs` every
// thread's). One process per measurement: nothing warm carries over between subjects.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('usage-probe.js', import.meta.url));

/** `script` and `args` as for `node script ...args`; resolves with exit code, output and usage. */
export function measureNodeProcess({ script, args, cwd, env = {} }) {
  const usageDir = mkdtempSync(join(tmpdir(), 'unthread-usage-'));
  const usageFile = join(usageDir, 'usage.json');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', probe, script, ...args], {
      cwd,
      env: { ...process.env, ...env, UNTHREAD_BENCH_USAGE: usageFile, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      let usage;
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8'));
      } catch {
        usage = { maxRssKiB: Number.NaN, processCpuMs: Number.NaN, mainThreadCpuMs: null };
      }
      rmSync(usageDir, { recursive: true, force: true });
      // Without /proc (not Linux) the whole process's CPU time stands in for the main thread's.
      const cpuMs = usage.mainThreadCpuMs ?? usage.processCpuMs;
      resolve({ code, wallMs, maxRssKiB: usage.maxRssKiB, cpuMs, processCpuMs: usage.processCpuMs, stdout, stderr });
    });
  });
}
