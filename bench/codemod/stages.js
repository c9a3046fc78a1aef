// Diagnostic child: `node bench/codemod/stages.js <service dir>` runs the codemod's in-process API
// (runUnthread from the `unthread` package: load, analyze + plan, apply, verify; it writes nothing)
// and prints its own per-stage timings as one JSON line, to show where the CLI's time goes.
import { runUnthread } from 'unthread';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node bench/codemod/stages.js <generated service dir>\n');
  process.exit(2);
}
const result = runUnthread({ paths: ['.'], cwd: dir, params: ['requestId'], verify: true });
process.stdout.write(`${JSON.stringify({ ...result.timings, changedFiles: result.changes.length, newErrors: result.newErrors?.length ?? 0 })}\n`);
