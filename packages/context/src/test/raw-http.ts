import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names lower-cased, values as the bytes came (latin1). Repeated headers keep every value. */
  headers: [string, string][];
  body: string;
  /** The whole response as received, to search for bytes that must never come back. */
  bytes: Buffer;
}

/**
 * Sends one request over a plain TCP socket, byte for byte as given. Node's HTTP client refuses to
 * send invalid header values, so this is the only way to deliver what a hostile client would.
 */
export function rawRequest(port: number, requestLine: string, headerLines: readonly Buffer[]): Promise<RawResponse> {
  const CRLF = Buffer.from('\r\n');
  const head: Buffer[] = [Buffer.from(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close`), CRLF];
  for (const line of headerLines) head.push(line, CRLF);
  head.push(CRLF);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.end(Buffer.concat(head));
  });
}

function parseResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`incomplete HTTP response: ${JSON.stringify(bytes.toString('latin1'))}`);
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = bytes.subarray(end + 4);
  if (headers.some(([name, value]) => name === 'transfer-encoding' && value === 'chunked')) body = unchunk(body);
  return { status, headers, body: body.toString('utf8'), bytes };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

export function headerValues(response: RawResponse, name: string): string[] {
  return response.headers.filter(([key]) => key === name).map(([, value]) => value);
}
