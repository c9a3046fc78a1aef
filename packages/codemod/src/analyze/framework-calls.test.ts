// Functions a framework calls keep the threaded parameter, and say so: the framework fills it, and
// nothing sets the context on its path until the boundary does.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [], experimentalDecorators: true },
});

describe('framework calls', () => {
  it('keeps decorated parameters, routes of decorated controllers, registered handlers and resolvers', () => {
    const app = [
      "import { Controller, Get, ReqContext, type Router } from './web.js';",
      "import { audit } from './audit.js';",
      '',
      "@Controller('users')",
      'export class UsersController {',
      "  @Get(':id')",
      '  one(requestId: string): string {',
      "    return audit(requestId, 'one');",
      '  }',
      '  list(@ReqContext() requestId: string): string {',
      "    return audit(requestId, 'list');",
      '  }',
      '}',
      '',
      'export function getHealth(req: unknown, requestId: string): string {',
      "  return audit(requestId, String(req));",
      '}',
      '',
      'export function mount(router: Router): void {',
      "  router.get('/health', getHealth);",
      "  router.post('/login', (req, requestId) => audit(requestId, String(req)));",
      '}',
      '',
      'export const resolvers = {',
      '  Query: {',
      "    me: (_parent: unknown, requestId: string) => audit(requestId, 'me'),",
      '  },',
      '};',
      '',
    ].join('\n');
    const run = unthreadInline({
      'tsconfig.json': TSCONFIG,
      'src/web.ts': [
        'export const Controller = (_path: string): ClassDecorator => () => undefined;',
        'export const Get = (_path: string): MethodDecorator => () => undefined;',
        'export const ReqContext = (): ParameterDecorator => () => undefined;',
        'export interface Router {',
        '  get(path: string, handler: (req: unknown, requestId: string) => string): void;',
        '  post(path: string, handler: (req: unknown, requestId: string) => string): void;',
        '}',
        '',
      ].join('\n'),
      'src/audit.ts': 'export function audit(requestId: string, what: string): string {\n  return `${requestId} ${what}`;\n}\n',
      'src/app.ts': app,
    });
    const framework = (name: string): string | undefined => run.keeps(name).find((k) => k.reason === 'called-by-framework')?.detail;
    expect(framework('UsersController.one')).toBe("@Get(':id') in @Controller('users') UsersController");
    expect(framework('UsersController.list')).toBe('its parameter requestId is filled by @ReqContext()');
    expect(framework('getHealth')).toBe('registered with router.get() at line 20');
    expect(framework('<anonymous>')).toBe('registered with router.post() at line 21');
    expect(framework('me')).toBe('a resolver in resolvers (line 24)');
    // Each of them is where the value enters: it sets the context around the call, and audit reads it.
    expect(run.fn('audit').decision).toBe('strip');
    expect(run.output['src/app.ts']).toBe(
      app
        .replace("import { audit } from './audit.js';\n", "import { audit } from './audit.js';\nimport { request } from './context.js';\n")
        .replace("return audit(requestId, 'one');", "return request.run({ requestId }, () => audit('one'));")
        .replace("return audit(requestId, 'list');", "return request.run({ requestId }, () => audit('list'));")
        .replace('return audit(requestId, String(req));', 'return request.run({ requestId }, () => audit(String(req)));')
        .replace('=> audit(requestId, String(req)));', '=> request.run({ requestId }, () => audit(String(req))));')
        .replace("=> audit(requestId, 'me'),", "=> request.run({ requestId }, () => audit('me')),"),
    );
    expect(run.output['src/app.ts']!.match(/request\.run/g)).toHaveLength(5);
  });

  it('a method that is called by the repo, in a class without a decorator, is stripped as before', () => {
    const run = unthreadInline({
      'tsconfig.json': TSCONFIG,
      'src/svc.ts': [
        'const Trace = (): MethodDecorator => () => undefined;',
        'export class Svc {',
        '  @Trace()',
        '  load(requestId: string): string {',
        '    return requestId;',
        '  }',
        '}',
        "export const main = (): string => new Svc().load('r-1');",
        '',
      ].join('\n'),
    });
    expect(run.fn('Svc.load').decision).toBe('strip');
  });
});
