// Parent side of the HTTP section. Per framework: start every variant's server (one child process
// each, all idle but one at a time), verify each echoes the id it is sent, then measure them in
// rounds whose order reverses each round (A B C, C B A), so drift on the machine does not favour
// whoever runs first. The ratios that count are taken within a round: each variant against the raw
// baseline measured seconds before or after it, then the median over rounds. On a machine other
// processes load, a round that lands in a busy spell slows every variant of that round, and the
// ratio of the round keeps what the absolute numbers lose. The best round of each variant is kept
// too, and the 1-minute load average before each round.
import { loadavg } from 'node:os';
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
  const loads = [];
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
      loads.push(loadavg()[0]);
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
  const raw = servers.find((entry) => entry.variant.kind === 'raw');
  const variants = servers.map(({ variant, rounds, problems }) => ({
    ...variant,
    rounds: rounds.map((r) => r.rps),
    cpuRounds: rounds.map((r) => r.cpuPerRequest),
    best: rounds.length > 0 ? Math.max(...rounds.map((r) => r.rps)) : undefined,
    cpuPerRequest: rounds.length > 0 ? Math.min(...rounds.map((r) => r.cpuPerRequest)) : undefined,
    // Within each round: req/s over raw's, and raw's CPU per request over this variant's (above 1 is cheaper).
    ratio: roundRatios(rounds, raw?.rounds, (mine, base) => mine.rps / base.rps),
    cpuRatio: roundRatios(rounds, raw?.rounds, (mine, base) => base.cpuPerRequest / mine.cpuPerRequest),
    problems,
  }));
  return { variants, loads };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median over rounds of `of(mine, raw's)` in the same round, or `undefined` without both. */
function roundRatios(mine, base, of) {
  if (base === undefined || mine.length === 0 || base.length !== mine.length) return undefined;
  return median(mine.map((round, i) => of(round, base[i])));
}

export async function runHttp(nodeBinary, { settings = httpSettings, log = () => {}, only = frameworks } = {}) {
  const results = [];
  for (const framework of only) {
    log(`http: ${framework.label}`);
    const { variants, loads } = await measureFramework(nodeBinary, framework, settings, log);
    results.push({ ...framework, variants, loads });
  }
  return results;
}
