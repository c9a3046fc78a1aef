// The timing harness inside one micro child: one variant of one case.
//
// It warms the loop up until the JIT has optimised it, sizes the batch so one sample takes
// `sampleMs` (long enough to dwarf timer resolution), then takes `samples` samples and returns
// their median in ns per operation. Comparison between variants happens across processes, in the
// parent (micro/index.js), which alternates variants round by round.
//
// With --expose-gc a full GC runs before every sample, so each sample starts from the same heap
// state; the variant still pays for the garbage it makes during the sample.
import { median } from '../../lib/stats.js';

function timeBatch(loop, n) {
  const start = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - start) / n;
}

export const measureDefaults = { samples: 7, sampleMs: 15, warmupMs: 150 };

export function measure(loop, { samples, sampleMs, warmupMs } = measureDefaults) {
  const warmupEnd = performance.now() + warmupMs;
  while (performance.now() < warmupEnd) loop(2_000);

  let batch = 1_000;
  while (timeBatch(loop, batch) * batch < sampleMs * 1e6) batch *= 2;

  const ns = [];
  for (let i = 0; i < samples; i++) {
    globalThis.gc?.();
    ns.push(timeBatch(loop, batch));
  }
  return { nsPerOp: median(ns), batch, samples };
}
