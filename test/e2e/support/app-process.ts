import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LogLine } from './log-lines.js';

export interface AppOutput {
  /** Every stdout line, parsed, in the order the app wrote them. */
  lines: LogLine[];
  /** Stdout lines that were not JSON: the app promises JSON only, so any of these is a finding. */
  notJson: string[];
  stderr: string;
  exitCode: number | null;
}

export interface RunningApp {
  port: number;
  /** Lines so far; complete only once `stop()` has resolved. */
  output: AppOutput;
  /** SIGTERM, then waits for a clean exit and the last stdout line; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<AppOutput>;
}

// Apps still running when this process exits (a test timed out, the run was interrupted) are killed
// with it, so no server is left listening after the test run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the built app in `dir` (`node dist/server.js`) on 127.0.0.1 with PORT=0 and resolves once its
 * 'listening' log line names the port it got.
 */
export async function startApp(dir: string, env: Record<string, string>, startTimeoutMs = 15_000): Promise<RunningApp> {
  const child = spawn(process.execPath, [join(dir, 'dist', 'server.js')], {
    cwd: dir,
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output: AppOutput = { lines: [], notJson: [], stderr: '', exitCode: null };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const stdoutDone = once(createInterface({ input: child.stdout }).on('line', (text) => record(output, text)), 'close');
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      output.exitCode = code;
      resolve();
    }),
  );

  const stop = async (timeoutMs = 10_000): Promise<AppOutput> => {
    if (output.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await Promise.all([exited, stdoutDone]);
    clearTimeout(timer);
    return output;
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const listening = output.lines.find((line) => line.msg === 'listening');
    if (typeof listening?.port === 'number') return { port: listening.port, output, stop };
    if (output.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `the app in ${dir} did not log 'listening' within ${startTimeoutMs} ms (exit ${output.exitCode}).\n` +
          `stderr:\n${output.stderr}\nstdout:\n${output.notJson.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function record(output: AppOutput, text: string): void {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      output.lines.push(parsed as LogLine);
      return;
    }
  } catch {
    // falls through: not JSON
  }
  output.notJson.push(text);
}
