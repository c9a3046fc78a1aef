// Real Nest applications on 127.0.0.1: HTTP on the Express and the Fastify platform, and a TCP
// microservice. The app is written the way a Nest user writes it, with its decorators applied as the
// TypeScript compiler applies them (Reflect.decorate), since these tests are not compiled by tsc.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  Body,
  Controller,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type INestMicroservice,
  type MiddlewareConsumer,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Payload, Transport, type ClientProxy } from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContext, type Context } from '../context.js';
import { KeepAliveClient } from '../test/load-client.js';
import {
  InjectContext,
  REQUEST_CONTEXT,
  RequestContextInterceptor,
  RequestContextModule,
  type RequestContextModuleOptions,
} from './nest.js';

interface Ids {
  requestId: string;
  tenantId: string;
}

const request = createContext<Ids>({ name: 'request' });
const thisFile = fileURLToPath(import.meta.url);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What `@decorator` on a constructor or method parameter at `index` compiles to. */
function param(index: number, decorator: ParameterDecorator): ClassDecorator & MethodDecorator {
  return (target: object, key?: string | symbol) => decorator(target, key, index);
}

function decorateMethod(target: { prototype: object }, name: string, decorators: MethodDecorator[]): void {
  Reflect.decorate(decorators, target.prototype, name, Object.getOwnPropertyDescriptor(target.prototype, name));
}

/** What each step of one call saw as its id, from the controller down to the service's last await. */
interface Seen {
  n: string;
  controller: string | undefined;
  service: string | undefined;
  afterIo: string | undefined;
  afterTimer: string | undefined;
  tenant: string | undefined;
  injectedIsTheContext: boolean;
}

/** The service gets the context injected, as a Nest user would, and reads it across async hops. */
class OrdersService {
  constructor(private readonly context: Context<Ids>) {}

  async place(n: string): Promise<Seen> {
    const id = () => this.context.tryGet('requestId');
    const service = id();
    await stat(thisFile);
    const afterIo = id();
    await sleep(Math.floor(Math.random() * 4));
    return {
      n,
      controller: undefined,
      service,
      afterIo,
      afterTimer: id(),
      tenant: this.context.tryGet('tenantId'),
      injectedIsTheContext: this.context === request,
    };
  }
}
Reflect.decorate([Injectable(), param(0, InjectContext())], OrdersService);

class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  async create(n: string, body: { item?: string }): Promise<Seen & { item: string | undefined }> {
    const controller = request.tryGet('requestId');
    await Promise.resolve();
    return { ...(await this.orders.place(n)), controller, item: body.item };
  }

  async onMessage(data: { n: string; requestId?: string }): Promise<Seen> {
    const controller = request.tryGet('requestId');
    return { ...(await this.orders.place(data.n)), controller };
  }
}
Reflect.decorate([Controller('orders'), param(0, Inject(OrdersService))], OrdersController);
decorateMethod(OrdersController, 'create', [Post(':n'), param(0, Param('n')), param(1, Body())]);
decorateMethod(OrdersController, 'onMessage', [MessagePattern('place'), param(0, Payload())]);

/** The app's own middleware: it runs after the module's, so it sees the request's id too. */
function markMiddleware(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('x-seen-by-middleware', request.tryGet('requestId') ?? 'none');
  next();
}

/** A message controller that binds the interceptor itself, beside one that does not. */
class BoundMessagesController {
  constructor(private readonly orders: OrdersService) {}

  async bound(data: { n: string }): Promise<Seen> {
    return { ...(await this.orders.place(data.n)), controller: request.tryGet('requestId') };
  }
}
Reflect.decorate([Controller(), UseInterceptors(RequestContextInterceptor), param(0, Inject(OrdersService))], BoundMessagesController);
decorateMethod(BoundMessagesController, 'bound', [MessagePattern('bound'), param(0, Payload())]);

class UnboundMessagesController {
  unbound(): { seen: string | null } {
    return { seen: request.tryGet('requestId') ?? null };
  }
}
Reflect.decorate([Controller()], UnboundMessagesController);
decorateMethod(UnboundMessagesController, 'unbound', [MessagePattern('unbound')]);

/**
 * A WebSocket gateway: its events have no HTTP request, as microservice messages have none. Nest
 * applies no global interceptor to gateways, so it binds the interceptor itself.
 */
class OrdersGateway {
  constructor(private readonly orders: OrdersService) {}

  async place(data: { n: string }): Promise<{ event: string; data: Seen }> {
    const controller = request.tryGet('requestId');
    return { event: 'placed', data: { ...(await this.orders.place(data.n)), controller } };
  }
}
Reflect.decorate(
  [WebSocketGateway({ path: '/events' }), UseInterceptors(RequestContextInterceptor), param(0, Inject(OrdersService))],
  OrdersGateway,
);
decorateMethod(OrdersGateway, 'place', [SubscribeMessage('place'), param(0, MessageBody())]);

/** The root module of a test app: the module's options as the app sets them, and its controllers. */
function appModule(
  options: Partial<RequestContextModuleOptions<Ids>>,
  controllers: (new (...args: never[]) => object)[],
  gateways: (new (...args: never[]) => object)[] = [],
): new () => object {
  class AppModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(markMiddleware).forRoutes('*');
    }
  }
  const forRoot = RequestContextModule.forRoot({
    context: request,
    echoHeader: true,
    values: (req) => ({ tenantId: String(req.headers['x-tenant'] ?? 'none') }),
    messageValues: (execution) => {
      const data =
        execution.getType() === 'ws'
          ? execution.switchToWs().getData<{ requestId?: string }>()
          : execution.switchToRpc().getData<{ requestId?: string }>();
      return data.requestId === undefined ? {} : { requestId: data.requestId };
    },
    ...options,
  });
  Reflect.decorate([Module({ imports: [forRoot], controllers, providers: [OrdersService, ...gateways] })], AppModule);
  return AppModule;
}

function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

const PLATFORMS = [
  ['the Express platform', () => new ExpressAdapter(), {}],
  ['the Fastify platform', () => new FastifyAdapter(), {}],
  // A global interceptor must leave HTTP handlers in the store their request's middleware set.
  ['the Express platform, with interceptor: true', () => new ExpressAdapter(), { interceptor: true }],
] as const;

describe.each(PLATFORMS)('RequestContextModule on %s', (_name, createAdapter, options) => {
  let app: INestApplication;
  let client: KeepAliveClient;

  beforeAll(async () => {
    app = await NestFactory.create(appModule(options, [OrdersController]), createAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    client = new KeepAliveClient(port, 20);
  });

  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('runs 300 interleaved keep-alive requests through middleware, controller and service each on its own id', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => uniqueId(`nest-${i}`));
    const results = await client.sendAll(
      ids.map((id, i) => ({
        method: 'POST',
        path: `/orders/${i}`,
        headers: { 'x-request-id': id, 'x-tenant': `tenant-${i % 7}`, 'content-type': 'application/json' },
        body: JSON.stringify({ item: `item-${i}` }),
      })),
    );

    const wrong: string[] = [];
    results.forEach((result, i) => {
      const id = ids[i]!;
      if (result.status !== 201) return wrong.push(`${id}: status ${result.status} ${result.body}`);
      const seen = JSON.parse(result.body) as Seen & { item: string };
      const expected = { n: String(i), item: `item-${i}`, tenant: `tenant-${i % 7}`, injectedIsTheContext: true };
      const steps = { controller: id, service: id, afterIo: id, afterTimer: id };
      const echoed = { echoed: id, middleware: id };
      const got = { echoed: result.headers['x-request-id'], middleware: result.headers['x-seen-by-middleware'] };
      if (JSON.stringify(seen) !== JSON.stringify({ ...seen, ...expected, ...steps }) || JSON.stringify(got) !== JSON.stringify(echoed)) {
        wrong.push(`${id}: ${result.body} ${JSON.stringify(got)}`);
      }
    });
    expect(wrong.slice(0, 10), `${wrong.length} requests saw another id (first 10 shown)`).toEqual([]);
  });

  it('gives a request without an id a generated one, the same that it echoes, and another to each request', async () => {
    const results = await client.sendAll(
      Array.from({ length: 20 }, (_, i) => ({ method: 'POST', path: `/orders/${i}`, headers: { 'content-type': 'application/json' }, body: '{}' })),
    );
    const echoed = results.map((result) => result.headers['x-request-id']);
    const seen = results.map((result) => (JSON.parse(result.body) as Seen).afterTimer);
    expect(seen).toEqual(echoed);
    for (const id of seen) expect(id).toMatch(UUID_V4);
    expect(new Set(seen).size).toBe(results.length);
  });

  it('injects the context under REQUEST_CONTEXT', () => {
    expect(app.get(REQUEST_CONTEXT)).toBe(request);
  });
});

/** Starts a TCP microservice of `module` on 127.0.0.1 and connects a client to it. */
async function startMicroservice(module: new () => object): Promise<{ microservice: INestMicroservice; client: ClientProxy }> {
  const microservice = await NestFactory.createMicroservice(module, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: 0 },
    logger: false,
  });
  await microservice.listen();
  const { port } = microservice.unwrap<Server>().address() as AddressInfo;
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  await client.connect();
  return { microservice, client };
}

describe('RequestContextModule with interceptor: true in a TCP microservice', () => {
  let microservice: INestMicroservice;
  let client: ClientProxy;

  beforeAll(async () => {
    ({ microservice, client } = await startMicroservice(appModule({ interceptor: true }, [OrdersController])));
  });

  afterAll(async () => {
    await client.close();
    await microservice.close();
  });

  it('runs 200 concurrent messages on one connection each in the id its payload carries', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => uniqueId(`message-${i}`));
    const replies = await Promise.all(
      ids.map((requestId, i) => firstValueFrom(client.send<Seen>('place', { n: String(i), requestId }))),
    );
    const wrong = replies.filter((seen, i) =>
      [seen.controller, seen.service, seen.afterIo, seen.afterTimer].some((id) => id !== ids[i]) || seen.n !== String(i) || !seen.injectedIsTheContext,
    );
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('gives each message without an id a fresh store with a generated id, never an earlier message\'s', async () => {
    // An earlier message on the same connection carried an id: no later one may see it.
    await firstValueFrom(client.send<Seen>('place', { n: 'first', requestId: 'carried-id' }));
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => firstValueFrom(client.send<Seen>('place', { n: String(i) }))));
    for (const seen of replies) {
      expect(seen.controller).not.toBe('carried-id');
      expect(seen.controller).toMatch(UUID_V4);
      expect(seen.afterTimer).toBe(seen.controller);
      // A message has no HTTP request: the store holds only what messageValues gave, not a tenant.
      expect(seen.tenant).toBeUndefined();
    }
    expect(new Set(replies.map((seen) => seen.controller)).size).toBe(replies.length);
  });

  it('replaces an unsafe id in a payload', async () => {
    const seen = await firstValueFrom(client.send<Seen>('place', { n: 'x', requestId: 'abc\n{"forged":true}' }));
    expect(seen.controller).toMatch(UUID_V4);
  });
});

interface Visit {
  requestId: string;
  user: string;
}

const visit = createContext<Visit>({ name: 'visit' });

/** Sets `request.user` as Passport's guards do: after every middleware, after an await. */
class UserGuard implements CanActivate {
  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const req = execution.switchToHttp().getRequest<IncomingMessage & { user?: string }>();
    await sleep(Math.floor(Math.random() * 3));
    req.user = String(req.headers['x-user']);
    return true;
  }
}

class VisitsController {
  async show(): Promise<{ requestId: string | undefined; user: string | undefined; userAfterIo: string | undefined }> {
    const user = visit.tryGet('user');
    await stat(thisFile);
    return { requestId: visit.tryGet('requestId'), user, userAfterIo: visit.tryGet('user') };
  }
}
Reflect.decorate([Controller('visits')], VisitsController);
decorateMethod(VisitsController, 'show', [Post(), UseGuards(UserGuard)]);

describe('RequestContextModule with handlerValues', () => {
  let app: INestApplication;
  let client: KeepAliveClient;

  beforeAll(async () => {
    class VisitsModule {}
    const forRoot = RequestContextModule.forRoot({
      context: visit,
      handlerValues: (execution) => ({ user: execution.switchToHttp().getRequest<{ user: string }>().user }),
    });
    Reflect.decorate([Module({ imports: [forRoot], controllers: [VisitsController] })], VisitsModule);
    app = await NestFactory.create(VisitsModule, new ExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    client = new KeepAliveClient(((app.getHttpServer() as Server).address() as AddressInfo).port, 20);
  });

  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('gives 100 concurrent handlers the user their guard set, over the id the middleware set', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => uniqueId(`visit-${i}`));
    const results = await client.sendAll(ids.map((id, i) => ({ method: 'POST', path: '/visits', headers: { 'x-request-id': id, 'x-user': `user-${i}` } })));
    expect(results.map((r) => JSON.parse(r.body) as unknown)).toEqual(ids.map((id, i) => ({ requestId: id, user: `user-${i}`, userAfterIo: `user-${i}` })));
  });
});

describe('RequestContextInterceptor bound with @UseInterceptors', () => {
  let microservice: INestMicroservice;
  let client: ClientProxy;

  beforeAll(async () => {
    ({ microservice, client } = await startMicroservice(appModule({}, [BoundMessagesController, UnboundMessagesController])));
  });

  afterAll(async () => {
    await client.close();
    await microservice.close();
  });

  it('runs the messages of the controller it is bound to in their own ids, and only those', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => uniqueId(`bound-${i}`));
    const replies = await Promise.all(ids.map((requestId, i) => firstValueFrom(client.send<Seen>('bound', { n: String(i), requestId }))));
    expect(replies.map((seen) => [seen.controller, seen.afterTimer, seen.injectedIsTheContext])).toEqual(ids.map((id) => [id, id, true]));
    // Not global: a controller without it has no store.
    expect(await firstValueFrom(client.send<{ seen: string | null }>('unbound', { requestId: 'not-taken' }))).toEqual({ seen: null });
  });
});

describe('RequestContextInterceptor on a WebSocket gateway', () => {
  let app: INestApplication;
  let socket: WebSocket;

  beforeAll(async () => {
    app = await NestFactory.create(appModule({}, [], [OrdersGateway]), new ExpressAdapter(), { logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    // The upgrade request carries an id: no event on the connection may take it for its own.
    socket = new WebSocket(`ws://127.0.0.1:${port}/events`, { headers: { 'x-request-id': 'upgrade-id' } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  });

  afterAll(async () => {
    socket.close();
    await app.close();
  });

  /** Sends each event on the one connection at once and resolves to the replies, by `n`. */
  async function sendAll(events: { n: string; requestId?: string }[]): Promise<Map<string, Seen>> {
    const replies = new Map<string, Seen>();
    const all = new Promise<void>((resolve) => {
      const onMessage = (raw: WebSocket.RawData) => {
        // ws hands a text frame over as one Buffer.
        const { data } = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : '') as { data: Seen };
        replies.set(data.n, data);
        if (replies.size === events.length) {
          socket.off('message', onMessage);
          resolve();
        }
      };
      socket.on('message', onMessage);
    });
    for (const data of events) socket.send(JSON.stringify({ event: 'place', data }));
    await all;
    return replies;
  }

  it('runs 100 concurrent events on one connection each in the id its data carries', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => uniqueId(`event-${i}`));
    const replies = await sendAll(ids.map((requestId, i) => ({ n: String(i), requestId })));
    const seen = ids.map((_, i) => replies.get(String(i)));
    expect(seen.map((reply) => [reply?.controller, reply?.service, reply?.afterTimer, reply?.injectedIsTheContext])).toEqual(
      ids.map((id) => [id, id, id, true]),
    );
  });

  it('gives each event without an id a generated one of its own', async () => {
    const replies = [...(await sendAll(Array.from({ length: 20 }, (_, i) => ({ n: `bare-${i}` })))).values()];
    for (const reply of replies) {
      expect(reply.controller).toMatch(UUID_V4);
      expect(reply.afterTimer).toBe(reply.controller);
    }
    expect(new Set(replies.map((reply) => reply.controller)).size).toBe(replies.length);
  });
});
