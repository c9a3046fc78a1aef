// Proves a variant works before it is measured, so a broken one cannot post a good number: several
// concurrent requests with distinct ids, each of which must get its own id back. Concurrency matters:
// a variant that shares one store across requests answers a single request correctly.
import { randomBytes } from 'node:crypto';
import { HEADER } from './apps/shared.js';

export async function verifyEchoesId(port, { requests = 8 } = {}) {
  const ids = Array.from({ length: requests }, (_, i) => `check-${i}-${randomBytes(6).toString('hex')}`);
  const bodies = await Promise.all(
    ids.map(async (id) => {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { [HEADER]: id } });
      return { status: response.status, body: await response.text() };
    }),
  );
  const problems = [];
  bodies.forEach(({ status, body }, i) => {
    const expected = JSON.stringify({ requestId: ids[i] });
    if (status !== 200 || body !== expected) problems.push(`sent ${ids[i]}, got ${status} ${body.slice(0, 120)}`);
  });
  return problems;
}
