// Shared by the behaviour programs: one JSON line on stdout for the test to assert on, and a hard
// deadline so a program that hangs (a server left open, a lost callback) fails instead of stalling CI.
const deadline = setTimeout(() => {
  console.error(`${process.argv[1]}: no result within 10 s`);
  process.exit(2);
}, 10_000);
deadline.unref();

export function report(result) {
  process.stdout.write(`${JSON.stringify({ node: process.versions.node, ...result })}\n`);
}
