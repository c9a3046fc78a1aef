import { execFile } from 'node:child_process';

export interface NodeRun {
  /** The exit code, or null when the process was killed (also on timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script to completion with this test's own Node, bounded in time; never throws for a non-zero exit. */
export function runNode(args: readonly string[], cwd: string, timeoutMs: number): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** What a failed run printed, for an assertion message. */
export function describeRun(what: string, run: NodeRun): string {
  const output = [run.stdout.trim(), run.stderr.trim()].filter((text) => text !== '').join('\n');
  return `${what} exited with ${run.code ?? 'a signal (timeout?)'}:\n${output.slice(0, 8000)}`;
}
