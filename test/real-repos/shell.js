// Runs one recipe command (install, type-check, test) through bash in a checkout, the way its
// maintainers run it, with the output kept in a log file for reading afterwards and returned for
// parsing. A command that outlives its budget is ended with its whole process group (test runners
// leave workers behind otherwise).
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Resolves with `{ code, output, wallMs, timedOut }`; never rejects on a failing command. */
export function runShell(command, { cwd, logFile, timeoutMs = 30 * 60_000, env = {} }) {
  mkdirSync(dirname(logFile), { recursive: true });
  appendFileSync(logFile, `\n$ (cd ${cwd} && ${command})\n`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // CI=true: test runners neither watch nor ask; colours off so the output parses.
    const child = spawn('bash', ['-c', command], {
      cwd,
      detached: true,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      appendFileSync(logFile, chunk);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      appendFileSync(logFile, `\n[exit ${code}${timedOut ? ', timed out' : ''} after ${Math.round(wallMs / 1000)} s]\n`);
      resolve({ code, output, wallMs, timedOut });
    });
  });
}
