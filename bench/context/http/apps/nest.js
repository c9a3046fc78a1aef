// NestJS 11 servers on its default (Express) platform. Each variant is a global module that the app
// imports; the raw one mounts its middleware the way a Nest user would, as Nest middleware for every
// route. Decorators are applied as the TypeScript compiler applies them, this file being plain JS.
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createContext } from '@unthread/context';
import { HEADER, simulatedIo } from './shared.js';

/** A global module whose only job is to mount `middleware` on every route. */
function middlewareModule(middleware) {
  class ContextMiddlewareModule {
    configure(consumer) {
      consumer.apply(middleware).forRoutes('*');
    }
  }
  return { module: ContextMiddlewareModule, global: true };
}

const variants = {
  async ours() {
    const { RequestContextModule } = await import('@unthread/context/nest');
    const request = createContext({ name: 'request' });
    return { imports: [RequestContextModule.forRoot({ context: request })], readId: () => request.get('requestId') };
  },
  async raw() {
    const als = new AsyncLocalStorage();
    const middleware = (req, _res, next) => als.run({ requestId: req.headers[HEADER] ?? randomUUID() }, next);
    return { imports: [middlewareModule(middleware)], readId: () => als.getStore().requestId };
  },
  /** The module with its global interceptor: what the interceptor pipeline costs an HTTP request. */
  async 'ours-interceptor'() {
    const { RequestContextModule } = await import('@unthread/context/nest');
    const request = createContext({ name: 'request' });
    const module = RequestContextModule.forRoot({ context: request, interceptor: true });
    return { imports: [module], readId: () => request.get('requestId') };
  },
};

export async function start(variant) {
  const { imports, readId } = await variants[variant]();
  class IdController {
    async read() {
      await simulatedIo();
      return { requestId: readId() };
    }
  }
  Reflect.decorate([Controller()], IdController);
  Reflect.decorate([Get()], IdController.prototype, 'read', Object.getOwnPropertyDescriptor(IdController.prototype, 'read'));
  class AppModule {}
  Reflect.decorate([Module({ imports, controllers: [IdController] })], AppModule);

  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer().address().port;
}

export const variantIds = Object.keys(variants);
