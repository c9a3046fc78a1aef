import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestSpec {
  method?: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  /** Parts are sent as separate chunks, `gapMs` apart: the later ones reach a handler already running. */
  body?: string | readonly string[];
  gapMs?: number;
}

/**
 * An HTTP client over a keep-alive agent with a bounded socket count: requests beyond `maxSockets`
 * wait for a free socket, so each socket carries many requests one after another. That is where a
 * context left behind by one request would reach the next on the same connection.
 */
export class KeepAliveClient {
  readonly agent: Agent;

  constructor(
    readonly port: number,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(spec: RequestSpec): Promise<HttpResult> {
    const { method = 'GET', path, headers = {}, body = [], gapMs = 0 } = spec;
    const parts = typeof body === 'string' ? [body] : body;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
        },
      );
      req.on('error', reject);
      // Counting the gap from the moment the agent hands out a socket, not from when the request was
      // queued: a queued request would otherwise send all its parts at once.
      req.once('socket', () => {
        void (async () => {
          for (const [i, part] of parts.entries()) {
            if (i > 0) await sleep(gapMs);
            req.write(part);
          }
          req.end();
        })();
      });
    });
  }

  /** Sends all requests at once; the agent queues what its sockets cannot carry yet. */
  sendAll(specs: readonly RequestSpec[]): Promise<HttpResult[]> {
    return Promise.all(specs.map((spec) => this.send(spec)));
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Waits until `done()` holds, polling every few milliseconds, for at most `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}
