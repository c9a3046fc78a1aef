// Runs a bench script in a Node child process. One process per measurement: JIT state, inline
// caches, enabled AsyncLocalStorage instances and warm caches from one subject cannot slow down or
// speed up another.
//
// - runJsonChild: the micro-benchmarks, whose children time themselves and print a JSON result as
//   their last stdout line.
// - measureNodeProcess: the codemod and ESLint benches, measured from outside (wall time, from spawn
//   to exit, Node start-up included for every subject alike) and from inside (peak RSS and CPU
//   through usage-probe.js: `cpuMs` is the main thread's CPU time plus finished children,
//   `processCpuMs` every thread's).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './paths.js';

export const usageProbe = fileURLToPath(new URL('usage-probe.js', import.meta.url));

/** Spawns `binary ...args` and resolves with its exit code, output and wall time. */
function runChild(binary, args, { cwd = repoRoot, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

/** `args` is everything after the binary: Node flags, the script, then its arguments. */
export async function runJsonChild(nodeBinary, args) {
  const command = `${nodeBinary} ${args.join(' ')}`;
  const { code, stdout, stderr } = await runChild(nodeBinary, args);
  if (code !== 0) throw new Error(`${command} exited with ${code}:\n${stderr}`);
  const lastLine = stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(lastLine);
  } catch {
    throw new Error(`${command} printed no JSON result:\n${stdout}\n${stderr}`);
  }
}

/** `script` and `args` as for `node script ...args`; resolves with exit code, output and usage. */
export async function measureNodeProcess({ script, args, cwd, env = {} }) {
  const usageDir = mkdtempSync(join(tmpdir(), 'unthread-usage-'));
  const usageFile = join(usageDir, 'usage.json');
  const run = await runChild(process.execPath, ['--import', usageProbe, script, ...args], {
    cwd,
    env: { ...process.env, ...env, UNTHREAD_BENCH_USAGE: usageFile, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let usage;
  try {
    usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  } catch {
    usage = { maxRssKiB: Number.NaN, processCpuMs: Number.NaN, mainThreadCpuMs: null };
  }
  rmSync(usageDir, { recursive: true, force: true });
  // Without /proc (not Linux) the whole process's CPU time stands in for the main thread's.
  const cpuMs = usage.mainThreadCpuMs ?? usage.processCpuMs;
  return { ...run, maxRssKiB: usage.maxRssKiB, cpuMs, processCpuMs: usage.processCpuMs };
}
