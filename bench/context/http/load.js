// One autocannon measurement against a running server. Every request carries the same x-request-id,
// and autocannon checks every response body against it (expectBody), so a variant that loses the id
// under load shows up as mismatches instead of as throughput.
//
// Besides requests/s it records the server's CPU time per request over the measured window: with 10
// connections the server is CPU-bound, so this is the cost of a request with the share of a core the
// server happened to get factored out (another process on a 2-core machine changes req/s, not this).
import autocannon from 'autocannon';
import { HEADER } from './apps/shared.js';

export const BENCH_ID = 'bench-req-0001';

export function loadOptions({ connections, duration }) {
  return {
    connections,
    duration,
    headers: { [HEADER]: BENCH_ID },
    expectBody: JSON.stringify({ requestId: BENCH_ID }),
  };
}

/** Load without measuring: lets the JIT settle, or reopens connections before a measured run. */
export async function warmUp(server, settings, seconds) {
  await autocannon({ url: `http://127.0.0.1:${server.port}/`, ...loadOptions({ ...settings, duration: seconds }) });
}

export async function measureLoad(server, settings) {
  const url = `http://127.0.0.1:${server.port}/`;
  // Warm-up as its own run, so the CPU reading below covers the measured window only.
  await warmUp(server, settings, settings.warmup);
  const cpuBefore = await server.cpuMicros();
  const result = await autocannon({ url, ...loadOptions(settings) });
  const cpuAfter = await server.cpuMicros();
  const failures = result.errors + result.timeouts + result.non2xx + result.mismatches;
  return {
    rps: result.requests.average,
    cpuPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
    failures,
    failureDetail: `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, wrong body ${result.mismatches}`,
  };
}
