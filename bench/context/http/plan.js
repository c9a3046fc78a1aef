// What the HTTP section compares, per framework. Pure data: the parent reads it to schedule servers
// and label the report; http/apps/<framework>.js holds the code of each variant.
//
// kind: `ours` is held to the targets below; `raw` is the baseline every ratio divides by; `peer` is
// what a user might pick instead; `diagnostic` is a bench-local variant that isolates one cost.

export const targets = {
  /** ours / raw, best round against best round. */
  minRatioVsRaw: 0.97,
};

const ours = { id: 'ours', kind: 'ours', label: '@unthread/context adapter' };
const raw = { id: 'raw', kind: 'raw', label: 'hand-written raw ALS middleware' };
/**
 * The adapter's per-request work minus binding req and res: `context.run` with the id from
 * `resolveRequestId`, written in the bench. The gap between it and the adapter is what binding req
 * and res costs; the gap between it and raw is the rest (id validation, the store copy).
 */
const unbound = {
  id: 'ours-unbound',
  kind: 'diagnostic',
  label: 'diagnostic: `context.run` + `resolveRequestId`, req and res not bound',
};

export const frameworks = [
  {
    id: 'express',
    label: 'Express 5',
    variants: [
      ours,
      raw,
      { id: 'express-http-context', kind: 'peer', label: 'express-http-context (+ a `set` middleware)' },
      { id: 'cls-rtracer', kind: 'peer', label: 'cls-rtracer `expressMiddleware`' },
      unbound,
    ],
  },
  {
    id: 'fastify',
    label: 'Fastify 5',
    variants: [
      ours,
      raw,
      { id: 'fastify-request-context', kind: 'peer', label: '@fastify/request-context' },
      { id: 'cls-rtracer', kind: 'peer', label: 'cls-rtracer `fastifyPlugin`' },
      unbound,
    ],
  },
  {
    id: 'koa',
    label: 'Koa 3',
    variants: [ours, raw, { id: 'cls-rtracer', kind: 'peer', label: 'cls-rtracer `koaMiddleware`' }, unbound],
  },
  {
    id: 'hono',
    label: 'Hono 4 on @hono/node-server',
    variants: [ours, raw, unbound],
  },
  {
    id: 'hapi',
    label: 'hapi 21',
    variants: [
      ours,
      // hapi awaits each extension, so no hand-written `run()` can wrap the rest of a request: the
      // baseline is the same server with no context, its handler reading the header itself.
      { id: 'raw', kind: 'raw', label: 'hand-written hapi server, no context (the handler reads the header)' },
      { id: 'cls-rtracer', kind: 'peer', label: 'cls-rtracer `hapiPlugin`' },
      {
        id: 'als-on',
        kind: 'diagnostic',
        // What AsyncLocalStorage costs hapi before any context mechanism does anything: on Node 20 its
        // promise hooks run for each of the many promises of hapi's lifecycle.
        label: 'diagnostic: no context, AsyncLocalStorage switched on (one `run` at startup), the floor for any context',
      },
    ],
  },
  {
    id: 'nest',
    label: 'NestJS 11 (Express platform)',
    variants: [
      { ...ours, label: '@unthread/context/nest `RequestContextModule`' },
      { ...raw, label: 'hand-written raw ALS Nest middleware' },
      {
        id: 'ours-interceptor',
        kind: 'diagnostic',
        label: 'diagnostic: the module with `interceptor: true` (what any global interceptor costs Nest)',
      },
    ],
  },
];
