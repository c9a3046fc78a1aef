// Runs a bench script in a child process and returns the JSON it prints as its last stdout line.
// Each measurement gets its own process so that JIT state, inline caches and enabled
// AsyncLocalStorage instances from one case cannot slow down or speed up another.
import { spawn } from 'node:child_process';
import { repoRoot } from './paths.js';

/** `args` is everything after the binary: Node flags, the script, then its arguments. */
export function runJsonChild(nodeBinary, args) {
  const command = `${nodeBinary} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${command} exited with ${code}:\n${stderr}`));
        return;
      }
      const lastLine = stdout.trim().split('\n').at(-1);
      try {
        resolve(JSON.parse(lastLine));
      } catch {
        reject(new Error(`${command} printed no JSON result:\n${stdout}\n${stderr}`));
      }
    });
  });
}
