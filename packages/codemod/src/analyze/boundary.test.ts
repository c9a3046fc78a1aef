// The request's own value becomes one adapter at the boundary, only where the code proves it is one
// value for the whole request, set before the adapter and read after it; elsewhere the call keeps its
// run() and the report says why.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const SERVICE = ['export function audit(event: string, requestId: string): string {', '  return `${requestId} ${event}`;', '}', ''].join('\n');

/** An Express app whose middleware `assign` sets `req.requestId`, with `extra` lines after it. */
function expressApp(extra: string[], before: string[] = []): string {
  return [
    "import express, { type NextFunction, type Request, type Response } from 'express';",
    "import { audit } from './audit.js';",
    '',
    'function assign(req: Request, _res: Response, next: NextFunction): void {',
    "  req.requestId = req.get('x-request-id') ?? 'made';",
    '  next();',
    '}',
    '',
    'const app = express();',
    ...before,
    'app.use(assign);',
    ...extra,
    '',
  ].join('\n');
}

const GET_ONE = "app.get('/one', (req, res) => { res.send(audit('one', req.requestId)); });";

describe('the boundary', () => {
  it('installs one adapter after the middleware that sets the field, and the handlers lose the argument', () => {
    const run = unthreadInline({ 'src/audit.ts': SERVICE, 'src/app.ts': expressApp([GET_ONE, "app.get('/two', (req, res) => { const id = req.requestId; res.send(audit('two', id)); });"]) });
    const app = run.output['src/app.ts']!;
    expect(app).toContain(
      "app.use(assign);\napp.use(requestContext(request, { assignId: false, values: (req: Request) => ({ requestId: req.requestId }) }));\napp.get('/one', (req, res) => { res.send(audit('one')); });",
    );
    // The local only carried the value to the call: it goes with the argument.
    expect(app).toContain("app.get('/two', (req, res) => { res.send(audit('two')); });");
    expect(app).not.toContain('.run(');
    expect(app).toContain("import { requestContext } from '@unthread/context/express';");
    expect(run.plan.boundary?.fallbacks).toEqual([]);
    expect(run.plan.boundary?.installs).toEqual([
      { file: 'src/app.ts', line: 13, framework: 'express', statement: app.split('\n')[12] },
    ]);
    expect(app.split('\n')[12]).toMatch(/^app\.use\(requestContext\(request, /);
  });

  it('follows the request object into a function only handlers call, and not into one a job calls too', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': expressApp([
        'function show(req: Request, res: Response): void { res.send(audit(\'show\', req.requestId)); }',
        'function shared(req: Request): string { return audit(\'shared\', req.requestId); }',
        "app.get('/show', (req, res) => show(req, res));",
        "app.get('/shared', (req, res) => { res.send(shared(req)); });",
        'export const nightly = (req: Request): string => shared(req);',
      ]),
    });
    const app = run.output['src/app.ts']!;
    expect(app).toContain("res.send(audit('show'));");
    expect(app).toContain("return request.run({ requestId: req.requestId }, () => audit('shared'));");
    expect(run.plan.boundary?.installs).toHaveLength(1);
  });

  it('wraps per call, with the reason, when the field is written twice', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': expressApp([GET_ONE, "app.get('/upper', (req, res) => { req.requestId = req.requestId.toUpperCase(); res.send('ok'); });"]),
    });
    expect(run.output['src/app.ts']).toContain("request.run({ requestId: req.requestId }, () => audit('one'))");
    expect(run.output['src/app.ts']).not.toContain('requestContext');
    expect(run.plan.boundary?.installs).toEqual([]);
    expect(run.plan.boundary?.fallbacks).toEqual([
      { file: 'src/app.ts', line: 11, expression: 'req.requestId', reason: 'req.requestId is written at src/app.ts:5 and at src/app.ts:12: a handler may see another value than the one set first' },
    ]);
  });

  it('wraps a handler registered before the middleware, and an error handler behind it, and keeps the adapter for the rest', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': expressApp(
        [GET_ONE, "app.use((error: Error, req: Request, res: Response, _next: NextFunction) => { res.send(audit(error.message, req.requestId)); });"],
        ["app.get('/early', (req, res) => { res.send(audit('early', req.requestId)); });"],
      ),
    });
    const reasons = run.plan.boundary?.fallbacks.map((f) => `${f.line} ${f.reason}`);
    expect(reasons).toEqual([
      '10 its handler is registered at src/app.ts:10, before the context can be set (after src/app.ts:11)',
      '13 an error handler also runs for errors raised before the context is set (by the middleware up to src/app.ts:11, before the adapter)',
    ]);
    expect(run.output['src/app.ts']).toContain("res.send(audit('one'))");
    expect(run.plan.boundary?.installs).toHaveLength(1);
  });

  it('wraps a header read when something in the repository writes request headers', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': [
        "import express from 'express';",
        "import { audit } from './audit.js';",
        '',
        'const app = express();',
        "app.use((req, _res, next) => { req.headers['x-request-id'] ??= 'made'; next(); });",
        "app.get('/one', (req, res) => { res.send(audit('one', req.get('x-request-id') ?? '')); });",
        "app.get('/two', (req, res) => { res.send(audit('two', req.get('x-request-id')!)); });",
        '',
      ].join('\n'),
    });
    expect(run.plan.boundary?.fallbacks).toEqual([
      { file: 'src/app.ts', line: 7, expression: "req.get('x-request-id')!", reason: 'request headers are written at src/app.ts:5: a handler may read another value than the adapter' },
    ]);
    expect(run.output['src/app.ts']).not.toContain('requestContext');
  });

  it('wraps a call in a listener, which runs in whatever context emits', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': expressApp(["app.get('/later', (req, res) => { res.on('finish', () => audit('done', req.requestId)); res.send('ok'); });"]),
    });
    expect(run.plan.boundary?.fallbacks.map((f) => f.reason)).toEqual(['the call runs in a callback that may run outside the request']);
    expect(run.output['src/app.ts']).toContain('request.run({ requestId: req.requestId }');
  });

  it('puts a header read first in a Fastify app, and Hono header reads first in a Hono app', () => {
    const fastify = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': ["import fastify from 'fastify';", "import { audit } from './audit.js';", '', 'const app = fastify();', "app.get('/one', async (request) => audit('one', request.id));", ''].join('\n'),
    });
    expect(fastify.output['src/app.ts']).toContain(
      "const app = fastify();\napp.register(fastifyRequestContext(requestContext, { assignId: false, values: (req) => ({ requestId: req.id }) }));\napp.get('/one', async (request) => audit('one'));",
    );
    const hono = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/app.ts': [
        "import { Hono } from 'hono';",
        "import { audit } from './audit.js';",
        '',
        'export const app = new Hono();',
        "app.get('/one', (c) => c.text(audit('one', c.req.header('x-request-id') ?? 'none')));",
        "app.get('/two', (c) => c.text(audit('two', c.req.header('x-request-id')!)));",
        '',
      ].join('\n'),
    });
    // `?? 'none'` is derived from the header, not the header itself: that one stays per call.
    expect(hono.output['src/app.ts']).toContain("app.use(requestContext(request, { assignId: false, values: (c) => ({ requestId: c.req.header('x-request-id') }) }));");
    expect(hono.output['src/app.ts']).toContain("c.text(audit('two'))");
    expect(hono.output['src/app.ts']).toContain("request.run({ requestId: c.req.header('x-request-id') ?? 'none' }");
  });

  it('follows a Koa router held in a const and mounted with .routes(), and a destructured carrier', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/routes.ts': [
        "import Router from '@koa/router';",
        "import { audit } from './audit.js';",
        '',
        'export function ordersRouter(): Router {',
        '  const router = new Router();',
        "  router.get('/one', (ctx) => { const { requestId } = ctx.state; ctx.body = audit('one', requestId); });",
        '  return router;',
        '}',
        '',
      ].join('\n'),
      'src/app.ts': [
        "import Koa from 'koa';",
        "import { ordersRouter } from './routes.js';",
        '',
        'const app = new Koa();',
        'const router = ordersRouter();',
        'app.use(async (ctx, next) => {',
        "  ctx.state.requestId = ctx.get('x-request-id') || 'made';",
        '  await next();',
        '});',
        'app.use(router.routes());',
        'app.use(router.allowedMethods());',
        '',
      ].join('\n'),
    });
    expect(run.plan.boundary?.fallbacks).toEqual([]);
    expect(run.output['src/routes.ts']).toContain("router.get('/one', (ctx) => { ctx.body = audit('one'); });");
    expect(run.output['src/app.ts']).toContain("});\napp.use(requestContext(request, { assignId: false, values: (ctx: Koa.Context) => ({ requestId: ctx.state.requestId }) }));\napp.use(router.routes());");
  });

  it('follows chained Hono routes and createMiddleware, keeps onError behind a middleware, and names a chain by its first line', () => {
    const run = unthreadInline({
      'src/audit.ts': SERVICE,
      'src/routes.ts': [
        "import { Hono } from 'hono';",
        "import { audit } from './audit.js';",
        '',
        'export const routes = new Hono()',
        "  .get('/one', (c) => c.text(audit('one', c.get('requestId'))))",
        "  .get('/two', (c) => c.text(audit('two', c.get('requestId'))));",
        '',
        'export function pick(a: Hono, b: Hono): Hono { return a ?? b; }',
        'pick(',
        '  new Hono(),',
        '  new Hono(),',
        ").get('/three', (c) => c.text(audit('three', c.get('requestId'))));",
        '',
      ].join('\n'),
      'src/app.ts': [
        "import { Hono } from 'hono';",
        "import { createMiddleware } from 'hono/factory';",
        "import { audit } from './audit.js';",
        "import { routes } from './routes.js';",
        '',
        'const assign = createMiddleware(async (c, next) => {',
        "  c.set('requestId', c.req.header('x-request-id') ?? 'made');",
        '  await next();',
        '});',
        'export const app = new Hono();',
        'app.use(assign);',
        "app.route('/', routes);",
        "app.onError((error, c) => c.text(audit(error.message, c.get('requestId'))));",
        '',
      ].join('\n'),
    });
    const routes = run.output['src/routes.ts']!;
    expect(routes).toContain("  .get('/one', (c) => c.text(audit('one')))\n  .get('/two', (c) => c.text(audit('two')));");
    expect(run.output['src/app.ts']).toContain("app.use(assign);\napp.use(requestContext(request, { assignId: false, values: (c) => ({ requestId: c.get('requestId') }) }));\napp.route('/', routes);");
    // An error raised by `assign`, before the adapter, reaches onError outside the context.
    expect(run.output['src/app.ts']).toContain("c.text(request.run({ requestId: c.get('requestId') }, () => audit(error.message)))");
    expect(run.plan.boundary?.fallbacks.map((f) => `${f.file}:${f.line} ${f.reason}`)).toEqual([
      'src/routes.ts:12 registered on pick(… (src/routes.ts:9), which is not an app or router the analysis can follow',
      'src/app.ts:13 an error handler also runs for errors raised before the context is set (by the middleware up to src/app.ts:11, before the adapter)',
    ]);
  });
});
