// A call on an `any` value is invisible to the rewrite: the function it may reach keeps its parameter,
// but only when the call passes the value by its name, so unrelated calls of a common name do not.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const CLIENT = [
  'export class Client {',
  '  status(requestId: string): string {',
  '    return `status ${requestId}`;',
  '  }',
  '  ping(requestId: string): string {',
  '    return `ping ${requestId}`;',
  '  }',
  '}',
  'export const boot = (client: Client): string => client.status(\'boot-1\') + client.ping(\'boot-2\');',
  '',
].join('\n');

describe('calls on a value of type any', () => {
  it('keep the parameter of a method they may reach when they pass the value by name, and only then', () => {
    const run = unthreadInline({
      'src/client.ts': CLIENT,
      'src/table.ts': [
        "import { Client } from './client.js';",
        '',
        'const handlers: any[] = [new Client()];',
        "export const check = (requestId: string): unknown[] => handlers.map((handler) => [handler.status(requestId), handler.ping('not the id')]);",
        '',
      ].join('\n'),
    });
    expect(run.keeps('Client.status')).toEqual([{ reason: 'called-untyped', at: 'src/table.ts:4', detail: 'handler.status(…) on a value of type any' }]);
    expect(run.fn('Client.ping').decision).toBe('strip');
    expect(run.output['src/client.ts']).toContain('ping(): string {');
  });
});
