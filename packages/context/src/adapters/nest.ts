import type { IncomingMessage } from 'node:http';
import type {
  CallHandler,
  DynamicModule,
  ExecutionContext,
  MiddlewareConsumer,
  NestInterceptor,
  NestModule,
} from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Observable } from 'rxjs';
import { peekStore, runFresh, type Context, type ContextShape } from '../context.js';
import { requestContext, type ExpressMiddleware } from './express.js';
import { resolveSettings, type RequestContextOptions, type RequestContextSettings } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/**
 * What `RequestContextModule.forRoot` takes: the context, the HTTP options every adapter takes, and
 * how a message that has no HTTP request gets its values.
 */
export interface RequestContextModuleOptions<T extends ContextShape<T>> extends RequestContextOptions<T, IncomingMessage> {
  /** The context each request and message runs in. It is also injectable: `@InjectContext()`. */
  context: Context<T>;
  /**
   * The store of a handler call that has no HTTP request: a microservice message, a WebSocket
   * gateway event, a GraphQL operation that did not come over HTTP. It receives Nest's execution
   * context, e.g. `(execution) => ({ requestId: execution.switchToRpc().getData().requestId })`.
   * The id's key is checked as a header's is, and a `crypto.randomUUID()` replaces a missing or
   * unsafe one. Default: only a generated id.
   */
  messageValues?: (execution: ExecutionContext) => Partial<T>;
  /**
   * More keys for an HTTP handler call's store, computed when Nest is about to call the handler:
   * after the guards (which set `request.user`) and the global interceptors, from the execution
   * context a parameter decorator receives, e.g.
   * `(execution) => ({ user: execution.switchToHttp().getRequest().user })`. The middleware's `values`
   * run before any guard, and cannot see what a guard sets. Mounts the interceptor globally unless
   * `interceptor` is `false`. Default: none.
   */
  handlerValues?: (execution: ExecutionContext) => Partial<T>;
  /**
   * Mount {@link RequestContextInterceptor} as a global interceptor, for a microservice (Nest applies
   * global interceptors to message handlers, never to WebSocket gateways: bind it on a gateway with
   * `@UseInterceptors(RequestContextInterceptor)`). Off by default: any global interceptor puts
   * every HTTP handler of the app through Nest's interceptor pipeline, which costs more CPU per
   * request than the context itself (see the HTTP bench), and HTTP requests do not need it. Without
   * it, bind the interceptor where it is needed: `@UseInterceptors(RequestContextInterceptor)`.
   * Default: `false`.
   */
  interceptor?: boolean;
}

/** What the interceptor takes of the module's options. */
export type RequestContextInterceptorOptions<T extends ContextShape<T>> = Pick<RequestContextModuleOptions<T>, 'key' | 'messageValues' | 'handlerValues'>;

/** The injection token of the context given to `RequestContextModule.forRoot`. */
export const REQUEST_CONTEXT = Symbol('@unthread/context/nest:context');
const MIDDLEWARE = Symbol('@unthread/context/nest:middleware');
const INTERCEPTOR_OPTIONS = Symbol('@unthread/context/nest:interceptor-options');

/** A constructor-parameter or property decorator that injects the module's context. */
export function InjectContext(): PropertyDecorator & ParameterDecorator {
  return Inject(REQUEST_CONTEXT);
}

/** Execution kinds whose handler runs under an HTTP request, where the middleware has set the store. */
function underHttpRequest(execution: ExecutionContext, context: Context<never>): boolean {
  const type = execution.getType<string>();
  if (type === 'http') return true;
  // A GraphQL resolver runs under the HTTP request that carried the operation; over a WebSocket
  // subscription there is no request, and no store.
  return type === 'graphql' && peekStore(context) !== undefined;
}

/**
 * Runs each handler call that has no HTTP request (microservice messages, WebSocket gateway events,
 * GraphQL operations outside HTTP) in a fresh store of the context: such a call must never carry the
 * id of whichever request or message happened to open its connection. HTTP handlers pass through,
 * the middleware has already run them in their request's store. `RequestContextModule` provides it
 * (`@UseInterceptors(RequestContextInterceptor)` on a gateway or a message controller), and mounts
 * it globally with `interceptor: true`.
 */
export class RequestContextInterceptor<T extends ContextShape<T>> implements NestInterceptor {
  readonly #context: Context<T>;
  readonly #settings: RequestContextSettings<T, ExecutionContext>;
  readonly #handlerValues: ((execution: ExecutionContext) => Partial<T>) | undefined;

  constructor(context: Context<T>, options: RequestContextInterceptorOptions<T> = {}) {
    this.#context = context;
    this.#handlerValues = options.handlerValues;
    // A message has no header to trust, and the HTTP generateId takes a request it does not have.
    this.#settings = resolveSettings<T, ExecutionContext>(
      {
        trustHeader: false,
        ...(options.key === undefined ? {} : { key: options.key }),
        ...(options.messageValues === undefined ? {} : { values: options.messageValues }),
      },
      { readHeader: () => undefined },
    );
  }

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const context = this.#context;
    if (underHttpRequest(execution, context as Context<never>)) {
      const handlerValues = this.#handlerValues;
      if (handlerValues === undefined) return next.handle();
      // Over the middleware's store: the request keeps its id, the handler gets the values its guards allowed.
      const values = handlerValues(execution);
      return new Observable((subscriber) => context.run(values, () => next.handle().subscribe(subscriber)));
    }
    const { values } = this.#settings.storeFor(execution, undefined);
    // Both the call to handle(), which Nest binds to the context current then, and the subscription,
    // which starts the handler on Nest versions that do not bind it, run in the message's store.
    return new Observable((subscriber) => runFresh(context, values, () => next.handle().subscribe(subscriber)));
  }
}

/**
 * A global Nest module: `RequestContextModule.forRoot({ context: request })` in the root module's
 * imports runs every HTTP request, on the Express and the Fastify platform alike, in `context` with
 * the request's id (and any `values`), from the first Nest middleware on: a global module's
 * middleware is mounted before every other module's. Handler calls without an HTTP request get a
 * store of their own from {@link RequestContextInterceptor} (`interceptor: true` mounts it
 * globally). The context is injectable with `@InjectContext()` or the token {@link REQUEST_CONTEXT}.
 */
export class RequestContextModule implements NestModule {
  readonly #middleware: ExpressMiddleware<IncomingMessage>;

  constructor(middleware: ExpressMiddleware<IncomingMessage>) {
    this.#middleware = middleware;
  }

  static forRoot<T extends ContextShape<T>>(options: RequestContextModuleOptions<T>): DynamicModule {
    const { context, messageValues, handlerValues, interceptor: mountInterceptor = handlerValues !== undefined, ...http } = options;
    // The Node-level middleware serves both platforms: Nest hands a Fastify app's middleware the raw
    // request and response, which are what it binds.
    const middleware = requestContext(context, http);
    const interceptorOptions: RequestContextInterceptorOptions<T> = {
      ...(http.key === undefined ? {} : { key: http.key }),
      ...(messageValues === undefined ? {} : { messageValues }),
      ...(handlerValues === undefined ? {} : { handlerValues }),
    };
    return {
      module: RequestContextModule,
      global: true,
      providers: [
        { provide: MIDDLEWARE, useValue: middleware },
        { provide: REQUEST_CONTEXT, useValue: context },
        // What `@UseInterceptors(RequestContextInterceptor)` instantiates the interceptor from.
        { provide: INTERCEPTOR_OPTIONS, useValue: interceptorOptions },
        ...(mountInterceptor ? [{ provide: APP_INTERCEPTOR, useValue: new RequestContextInterceptor(context, interceptorOptions) }] : []),
      ],
      exports: [REQUEST_CONTEXT, INTERCEPTOR_OPTIONS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Every route: Nest 11 reads '*' as '{*path}', and warns only about other wildcards.
    consumer.apply(this.#middleware).forRoutes('*');
  }
}

// What `@Inject(token)` on the constructors' parameters records: called as functions, so that this
// package builds without decorator support.
Inject(MIDDLEWARE)(RequestContextModule, undefined, 0);
Inject(REQUEST_CONTEXT)(RequestContextInterceptor, undefined, 0);
Inject(INTERCEPTOR_OPTIONS)(RequestContextInterceptor, undefined, 1);
