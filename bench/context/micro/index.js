// Parent side of the micro section: schedules one child process per (Node, case, variant, round)
// and turns the samples into medians and ratios.
//
// Rounds alternate the variants (raw, ours, ... then the next round starts one further along), so
// slow drift on a shared 2-core machine hits every variant alike. Each round yields one ratio per
// variant (its ns / raw's ns in the same round); the report shows the median of those ratios and the
// median ns across rounds.
import { fileURLToPath } from 'node:url';
import { runJsonChild } from '../../lib/child.js';
import { display } from '../../lib/paths.js';
import { median } from '../../lib/stats.js';
import { microCases } from './plan.js';

const childScript = fileURLToPath(new URL('child.js', import.meta.url));
// --expose-gc lets the harness start every sample from a collected heap (see measure.js).
const nodeFlags = ['--expose-gc'];

/** The command line one child runs, as the report prints it. */
export function microCommand(nodeBinary, caseId, variant) {
  return [display(nodeBinary), ...nodeFlags, display(childScript), caseId, variant].join(' ');
}

async function measureCase(nodeBinary, benchCase, rounds, log) {
  const variants = Object.keys(benchCase.variants);
  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const results = {};
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      results[variant] = await runJsonChild(nodeBinary, [...nodeFlags, childScript, benchCase.id, variant]);
    }
    perRound.push(results);
    log(`  ${benchCase.id} round ${round + 1}/${rounds}: ` +
      variants.map((v) => `${v} ${results[v].nsPerOp.toFixed(1)} ns`).join(', '));
  }
  return Object.fromEntries(
    variants.map((variant) => [
      variant,
      {
        nsPerOp: median(perRound.map((r) => r[variant].nsPerOp)),
        ratio: median(perRound.map((r) => r[variant].nsPerOp / r.raw.nsPerOp)),
        rounds: perRound.map((r) => r[variant].nsPerOp),
      },
    ]),
  );
}

/**
 * @param {{ binary: string, version: string }[]} nodes
 * @param {{ rounds?: number, log?: (line: string) => void, cases?: typeof microCases }} options `cases`: a subset of plan.js
 * @returns per node, per case: { node, caseId, label, target, labels, variants: { name: { nsPerOp, ratio, rounds } } }
 */
export async function runMicro(nodes, { rounds = 4, log = () => {}, cases = microCases } = {}) {
  const results = [];
  for (const node of nodes) {
    log(`micro on Node ${node.version}`);
    for (const benchCase of cases) {
      const variants = await measureCase(node.binary, benchCase, rounds, log);
      results.push({
        node: node.version,
        caseId: benchCase.id,
        label: benchCase.label,
        target: benchCase.target,
        labels: benchCase.variants,
        variants,
      });
    }
  }
  return results;
}
