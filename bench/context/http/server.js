// Child process entry: `node bench/context/http/server.js <framework> <variant>`, forked with an IPC channel.
// Starts one server variant on 127.0.0.1 and sends `{ port }` once it listens; answers `'cpu'` with
// its own process.cpuUsage(), so the parent can charge each request the server CPU it took. One
// variant per process, so the load generator (in the parent) never shares an event loop with the
// server and variants never share a process.
import { frameworks } from './plan.js';

const [framework, variant] = process.argv.slice(2);
if (!frameworks.some((f) => f.id === framework)) {
  console.error(`unknown framework "${framework}"`);
  process.exit(2);
}
const app = await import(`./apps/${framework}.js`);
if (!app.variantIds.includes(variant)) {
  console.error(`unknown ${framework} variant "${variant}"`);
  process.exit(2);
}
const port = await app.start(variant);
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
});
process.send({ port });
