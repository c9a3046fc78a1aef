import { Agent, request } from 'node:http';

/** Every kind of request the e2e load sends; each takes a different path through the app. */
export type RequestKind = 'list' | 'found' | 'missing' | 'place' | 'unknown-sku' | 'invalid' | 'malformed';

export interface PlannedRequest {
  /** Sent as `x-request-id`; distinct per request and the same in every run. */
  id: string;
  kind: RequestKind;
  /** The one user this request is about (`user-<n>` or `buyer-<n>`): no other user may appear in its lines. */
  user: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  expectedStatus: number;
}

const KINDS: readonly RequestKind[] = ['list', 'found', 'missing', 'place', 'unknown-sku', 'invalid', 'malformed'];

function planOne(n: number): PlannedRequest {
  const kind = KINDS[n % KINDS.length] ?? 'list';
  const id = `e2e-${String(n).padStart(3, '0')}-${kind}`;
  const user = `user-${n}`;
  const buyer = `buyer-${n}`;
  const post = (body: string, expectedStatus: number): PlannedRequest => ({
    id, kind, user: buyer, method: 'POST', path: '/orders', body, expectedStatus,
  });
  switch (kind) {
    case 'list':
      return { id, kind, user, method: 'GET', path: `/users/${user}/orders`, expectedStatus: 200 };
    case 'found':
      return { id, kind, user, method: 'GET', path: `/users/${user}/orders/ord-${n}-b`, expectedStatus: 200 };
    case 'missing':
      return { id, kind, user, method: 'GET', path: `/users/${user}/orders/ord-${n}-zzz`, expectedStatus: 404 };
    case 'place':
      return post(JSON.stringify({ user: buyer, sku: 'sku-pear', quantity: 1 + (n % 4) }), 201);
    case 'unknown-sku':
      return post(JSON.stringify({ user: buyer, sku: `sku-mystery-${n}`, quantity: 2 }), 201);
    case 'invalid':
      return post(JSON.stringify({ user: buyer, sku: 'sku-pear', quantity: 0 }), 400);
    case 'malformed':
      return post(`{"user":"${buyer}",`, 400);
  }
}

/** `count` requests cycling through every kind, each with its own id and user. */
export function planRequests(count: number): PlannedRequest[] {
  return Array.from({ length: count }, (_, n) => planOne(n));
}

export interface Answer {
  status: number;
  /** The `x-request-id` the app echoed. */
  echoedId: string | undefined;
}

/**
 * Sends every request at once over a keep-alive agent with at most `maxSockets` connections: the rest
 * queue in the agent, so each connection carries many requests one after another, and the app has
 * `maxSockets` requests in flight at a time.
 */
export async function sendAll(port: number, planned: readonly PlannedRequest[], maxSockets: number, timeoutMs: number): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets });
  try {
    return await Promise.all(planned.map((spec) => send(agent, port, spec, timeoutMs)));
  } finally {
    agent.destroy();
  }
}

function send(agent: Agent, port: number, spec: PlannedRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'x-request-id': spec.id };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const req = request({ host: '127.0.0.1', port, method: spec.method, path: spec.path, agent, headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('error', reject);
      res.on('end', () => {
        const echoed = res.headers['x-request-id'];
        resolve({ status: res.statusCode ?? 0, echoedId: typeof echoed === 'string' ? echoed : undefined });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${spec.method} ${spec.path} (${spec.id}): no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(spec.body);
  });
}
