// Child process entry: `node --expose-gc bench/context/micro/child.js <case> <variant>`. Prints one JSON line.
import { cases, sink } from './cases.js';
import { measure } from './measure.js';

const [caseId, variantId] = process.argv.slice(2);
const setup = cases[caseId]?.[variantId];
if (setup === undefined) {
  console.error(`unknown micro case/variant "${caseId} ${variantId}"`);
  process.exit(2);
}

const { loop, within } = setup();
const result = within(() => measure(loop));
if (typeof sink !== 'number') throw new Error('the measured loop produced no result');
console.log(JSON.stringify({ case: caseId, variant: variantId, node: process.version, ...result }));
