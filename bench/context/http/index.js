// Parent side of the HTTP section. Per framework: start every variant's server (one child process
// each, all idle but one at a time), verify each echoes the id it is sent, then measure them in
// rounds whose order reverses each round (A B C, C B A), so drift on the machine does not favour
// whoever runs first. Per variant the report keeps the best round, for req/s and for server CPU per
// request alike: noise on a shared machine only ever makes a round slower.
import { frameworks } from './plan.js';
import { startServer } from './servers.js';
import { verifyEchoesId } from './verify.js';
import { measureLoad, warmUp } from './load.js';

// Each server gets `jitWarmup` seconds of load once, then every round is `warmup` + `duration`
// seconds (autocannon stops on its 1 s sampling tick, so whole seconds are what a run takes anyway).
// Many short rounds rather than a few long ones: this VM's speed swings between two levels
// for seconds at a time (about 15k and 35k req/s for the same Fastify server, with nothing else
// running; CPU per request swings with it), so the more rounds, the likelier each variant gets at
// least one undisturbed one, and the report keeps each variant's best.
export const httpSettings = { connections: 10, duration: 3, warmup: 1, jitWarmup: 1, rounds: 4 };

async function measureFramework(nodeBinary, framework, settings, log) {
  const servers = [];
  try {
    // A variant that fails to start or to echo its ids is reported as broken and never measured.
    for (const variant of framework.variants) {
      const entry = { variant, server: undefined, rounds: [], problems: [] };
      servers.push(entry);
      try {
        entry.server = await startServer(nodeBinary, framework.id, variant.id);
        entry.problems = await verifyEchoesId(entry.server.port);
      } catch (error) {
        entry.problems = [`failed to start or answer: ${error.message.replace(/\s+/g, ' ').slice(0, 200)}`];
      }
      if (entry.problems.length > 0) log(`  ${framework.id}/${variant.id} FAILED: ${entry.problems[0]}`);
    }
    const measurable = servers.filter((entry) => entry.problems.length === 0);
    for (const entry of measurable) await warmUp(entry.server, settings, settings.jitWarmup);
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? measurable : [...measurable].reverse();
      for (const entry of order) {
        const result = await measureLoad(entry.server, settings);
        entry.rounds.push(result);
        if (result.failures > 0) entry.problems.push(`under load: ${result.failureDetail}`);
        log(`  ${framework.id}/${entry.variant.id} round ${round + 1}: ${Math.round(result.rps)} req/s, ` +
          `${result.cpuPerRequest.toFixed(1)} µs CPU/request` +
          (result.failures > 0 ? ` (${result.failureDetail})` : ''));
      }
    }
  } finally {
    await Promise.all(servers.map((entry) => entry.server?.stop()));
  }
  return servers.map(({ variant, rounds, problems }) => ({
    ...variant,
    rounds: rounds.map((r) => r.rps),
    best: rounds.length > 0 ? Math.max(...rounds.map((r) => r.rps)) : undefined,
    cpuPerRequest: rounds.length > 0 ? Math.min(...rounds.map((r) => r.cpuPerRequest)) : undefined,
    problems,
  }));
}

export async function runHttp(nodeBinary, { settings = httpSettings, log = () => {}, only = frameworks } = {}) {
  const results = [];
  for (const framework of only) {
    log(`http: ${framework.label}`);
    results.push({ ...framework, variants: await measureFramework(nodeBinary, framework, settings, log) });
  }
  return results;
}
