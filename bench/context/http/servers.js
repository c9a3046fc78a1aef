// Starts and stops server child processes (bench/context/http/server.js) for the parent, and asks them for
// their CPU time over the IPC channel.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { display, repoRoot } from '../../lib/paths.js';

const serverScript = fileURLToPath(new URL('server.js', import.meta.url));
// Production mode, as a deployed server would run; the same for every variant.
const serverEnv = { ...process.env, NODE_ENV: 'production' };

export function serverCommand(nodeBinary, framework, variant) {
  return `NODE_ENV=production ${display(nodeBinary)} ${display(serverScript)} ${framework} ${variant}`;
}

/** Resolves to `{ port, cpuMicros, stop }` once the child listens. */
export async function startServer(nodeBinary, framework, variant) {
  const child = fork(serverScript, [framework, variant], {
    cwd: repoRoot,
    env: serverEnv,
    execPath: nodeBinary,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${framework} ${variant} server exited (${code}) before listening:\n${stderr}`);
  });
  const [{ port }] = await Promise.race([once(child, 'message'), exited]);
  exited.catch(() => {}); // after a successful start, exiting is what stop() asks for
  return {
    port,
    /** The server's user + system CPU time so far, in microseconds. */
    async cpuMicros() {
      child.send('cpu');
      const [{ cpu }] = await once(child, 'message');
      return cpu.user + cpu.system;
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      return gone;
    },
  };
}
