// One value under several parameter names becomes one context key: merged when a call passes one name's
// parameter on as the other's, or named outright with `--param name=key`; never copied between keys.
import { describe, expect, it } from 'vitest';
import { parseParams } from '../run.js';
import { unthreadInline } from '../test/inline.js';

const LOG =
  'export function log(msg: string, request_id: string): string {\n  return `${request_id} ${msg}`;\n}\n';
const SERVICE =
  "import { log } from './log.js';\n\n" +
  "export function handle(requestId: string): string {\n  return log('handled', requestId);\n}\n\n" +
  "export const main = (): string => handle('r-1');\n";

describe('analyze: one value, several names', () => {
  it('a requestId passed on as a request_id: one key, the name given first, and no copy between keys', () => {
    const run = unthreadInline({ 'src/log.ts': LOG, 'src/service.ts': SERVICE }, { params: ['requestId', 'request_id'] });
    expect(run.graph.mergedKeys).toEqual({ request_id: 'requestId' });
    expect(run.output['src/log.ts']).toContain("export function log(msg: string): string {\n  const request_id = request.get('requestId');\n");
    expect(run.output['src/service.ts']).toContain("return log('handled');");
    expect(run.output['src/service.ts']).toContain("request.run({ requestId: 'r-1' }, () => handle())");
    expect(run.output['src/context.ts']).toContain('createContext<{ requestId: string }>');
  });

  it('the key the context module already holds is the one that stays', () => {
    const run = unthreadInline(
      {
        'src/log.ts': LOG,
        'src/service.ts': SERVICE,
        'src/context.ts': "import { createContext } from '@unthread/context';\n\nexport const request = createContext<{ request_id: string }>({ name: 'request' });\n",
      },
      { params: ['requestId', 'request_id'] },
    );
    expect(run.graph.mergedKeys).toEqual({ requestId: 'request_id' });
    expect(run.output['src/service.ts']).toContain("export function handle(): string {\n  return log('handled');");
    expect(run.output['src/service.ts']).toContain("request.run({ request_id: 'r-1' }, () => handle())");
  });

  it('without the merge each name is its own key, and the call copies one into the other', () => {
    // What the merge prevents: the same project with only one of the names moved.
    const run = unthreadInline({ 'src/log.ts': LOG, 'src/service.ts': SERVICE }, { params: ['request_id'] });
    expect(run.output['src/service.ts']).toContain("request.run({ request_id: requestId }, () => log('handled'))");
  });

  it('--param request_id=requestId: both names hold the key requestId, options objects included', () => {
    const run = unthreadInline(
      {
        'src/store.ts':
          'export function save({ user, request_id }: { user: string; request_id: string }): string {\n  return `${user}@${request_id}`;\n}\n',
        'src/service.ts':
          "import { save } from './store.js';\n\n" +
          "export function create(user: string, requestId: string): string {\n  return save({ user, request_id: requestId });\n}\n\n" +
          "export const main = (id: string): string => create('ann', id);\n",
      },
      { params: ['request_id=requestId'] },
    );
    expect(run.graph.params).toEqual(['requestId']);
    expect(run.output['src/store.ts']).toContain(
      "export function save({ user }: { user: string }): string {\n  const request_id = request.get('requestId');\n",
    );
    expect(run.output['src/service.ts']).toContain('return save({ user });');
    expect(run.output['src/service.ts']).toContain("request.run({ requestId: id }, () => create('ann'))");
  });

  it('a function declaring both names threads the first; the second stays a parameter and gets the value', () => {
    const run = unthreadInline(
      {
        'src/both.ts':
          'export function both(requestId: string, request_id: string): string {\n  return requestId + request_id;\n}\n' +
          'export function outer(requestId: string): string {\n  return both(requestId, requestId);\n}\n',
      },
      { params: ['request_id=requestId'] },
    );
    expect(run.output['src/both.ts']).toContain(
      "export function both(request_id: string): string {\n  const requestId = request.get('requestId');\n  return requestId + request_id;",
    );
    expect(run.output['src/both.ts']).toContain("export function outer(): string {\n  const requestId = request.get('requestId');\n  return both(requestId);");
  });
});

describe('--param forms', () => {
  it('name, name:Type, name=key and name=key:Type', () => {
    const { params, typeChoices, aliases } = parseParams(['request_id=requestId:string', 'req:BridgeRequest', 'onDone:() => void', 'tenantId']);
    expect(params).toEqual(['requestId', 'req', 'onDone', 'tenantId']);
    expect([...aliases]).toEqual([['request_id', 'requestId']]);
    expect([...typeChoices]).toEqual([
      ['requestId', 'string'],
      ['req', 'BridgeRequest'],
      ['onDone', '() => void'],
    ]);
  });

  it('a name given both alone and as an alias is only the alias', () => {
    expect(parseParams(['request_id', 'request_id=requestId']).params).toEqual(['requestId']);
  });
});
