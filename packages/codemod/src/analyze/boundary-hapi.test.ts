// hapi: route handlers and extensions keep `(request, h)`; an id read from the request's headers or
// hapi's own `request.info.id` moves into the context through the plugin, registered and awaited right
// where the server is made. A field a plugin sets once the request runs (hapi-pino's `request.logger`)
// is not there yet when the plugin reads its values: those calls keep their run(), with the reason.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const SERVICE = ['export function audit(event: string, requestId: string): string {', '  return `${requestId} ${event}`;', '}', ''].join('\n');

const ROUTES = [
  "import type { ServerRoute } from '@hapi/hapi';",
  "import { audit } from './audit.js';",
  '',
  'export const routes: ServerRoute[] = [',
  "  { method: 'GET', path: '/one', handler: (request) => audit('one', request.headers['x-request-id']) },",
  "  { method: 'GET', path: '/two', options: { handler: async (request, h) => h.response(audit('two', request.headers['x-request-id'])) } },",
  '];',
  '',
].join('\n');

function server(body: string[], head = 'export async function start(): Promise<Server> {'): string {
  return [
    "import Hapi, { type Server } from '@hapi/hapi';",
    "import { audit } from './audit.js';",
    "import { routes } from './routes.js';",
    '',
    head,
    '  const server = Hapi.server({ port: 0 });',
    ...body,
    '  return server;',
    '}',
    '',
  ].join('\n');
}

const EXT = "  server.ext('onRequest', (request, h) => { audit('received', request.headers['x-request-id']); return h.continue; });";

describe('the boundary of a hapi server', () => {
  it('registers the plugin once where the server is made; handlers from a route array and extensions lose the argument', () => {
    const run = unthreadInline({ 'src/audit.ts': SERVICE, 'src/routes.ts': ROUTES, 'src/server.ts': server([EXT, '  server.route(routes);']) });
    const app = run.output['src/server.ts']!;
    expect(app).toContain(
      "  const server = Hapi.server({ port: 0 });\n  await server.register(hapiRequestContext(requestContext, { assignId: false, values: (req) => ({ requestId: req.headers['x-request-id'] }) }));\n",
    );
    // hapi's handlers name their parameter `request`: the context and the adapter are imported under other names.
    expect(app).toContain("import { requestContext as hapiRequestContext } from '@unthread/context/hapi';");
    expect(app).toContain("(request, h) => { audit('received'); return h.continue; }");
    expect(run.output['src/routes.ts']).toContain("handler: (request) => audit('one')");
    expect(run.output['src/routes.ts']).toContain("handler: async (request, h) => h.response(audit('two'))");
    expect(Object.values(run.output).join('\n')).not.toContain('.run(');
    expect(run.plan.boundary?.fallbacks).toEqual([]);
    expect(run.plan.boundary?.installs).toHaveLength(1);
  });

  it("reads hapi's own request.info.id in the plugin's values", () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/routes.ts': ROUTES.replaceAll("request.headers['x-request-id']", 'request.info.id'),
      'src/server.ts': server(['  server.route(routes);']),
    });
    expect(run.output['src/server.ts']).toContain('values: (req) => ({ requestId: req.info.id })');
    expect(run.output['src/routes.ts']).toContain("handler: (request) => audit('one')");
  });

  it('wraps per call, with the reason, where the server is made in a function that cannot await the registration', () => {
    const run = unthreadInline({ 'src/audit.ts': SERVICE, 'src/routes.ts': ROUTES, 'src/server.ts': server(['  server.route(routes);'], 'export function start(): Server {') });
    expect(run.output['src/server.ts'] ?? '').not.toContain('requestContext');
    expect(run.output['src/routes.ts']).toContain("requestContext.run({ requestId: request.headers['x-request-id'] }, () => audit('one'))");
    expect(run.plan.boundary?.fallbacks[0]?.reason).toBe("server is created in a function that is not async (src/server.ts:5): the hapi plugin's registration could not be awaited there");
  });

  it('wraps per call a field a plugin sets once the request runs, such as request.logger', () => {
    const run = unthreadInline(
      {
        'src/log.ts': ['export function note(event: string, logger: { info(m: string): void }): void {', '  logger.info(event);', '}', ''].join('\n'),
        'src/server.ts': [
          "import Hapi from '@hapi/hapi';",
          "import { note } from './log.js';",
          '',
          'export async function start(): Promise<void> {',
          '  const server = Hapi.server({ port: 0 });',
          "  server.route({ method: 'GET', path: '/', handler: (request) => { note('hit', request.logger); return 'ok'; } });",
          '}',
          '',
        ].join('\n'),
      },
      { params: ['logger'] },
    );
    expect(run.output['src/server.ts']).toContain("requestContext.run({ logger: request.logger }, () => note('hit'))");
    expect(run.plan.boundary?.fallbacks).toEqual([
      { file: 'src/server.ts', line: 6, expression: 'request.logger', reason: 'request.logger is set once the request runs, after the hapi plugin reads its values' },
    ]);
  });

  it('names the wrapper of a wrapped handler as the reason its calls keep their run()', () => {
    const run = unthreadInline(
      {
        'src/log.ts': ['export function note(event: string, logger: { info(m: string): void }): void {', '  logger.info(event);', '}', ''].join('\n'),
        'src/validated.ts': 'export const validated = <F>(handler: F): F => handler;\n',
        'src/server.ts': [
          "import Hapi from '@hapi/hapi';",
          "import { note } from './log.js';",
          "import { validated } from './validated.js';",
          '',
          'export async function start(): Promise<void> {',
          '  const server = Hapi.server({ port: 0 });',
          "  server.route({ method: 'GET', path: '/', handler: validated((request) => { note('hit', request.logger); return 'ok'; }) });",
          '}',
          '',
        ].join('\n'),
      },
      { params: ['logger'] },
    );
    expect(run.output['src/server.ts']).toContain("requestContext.run({ logger: request.logger }, () => note('hit'))");
    expect(run.plan.boundary?.fallbacks).toEqual([
      { file: 'src/server.ts', line: 7, expression: 'request.logger', reason: 'its hapi handler is wrapped in validated (src/server.ts:7), which the analysis cannot follow' },
    ]);
  });
});
