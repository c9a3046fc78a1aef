// What the micro section measures and what it is held to. Pure data: the parent process reads it to
// schedule children and label the report; micro/cases.js holds the code each child runs.
//
// Every case compares its variants with `raw`, the hand-written AsyncLocalStorage equivalent. Cases
// with a `target` are held to it (ours / raw); the others, and every variant besides `raw` and
// `ours`, are diagnostics: bench-local code that shows where time goes, not shipped code.

export const microCases = [
  {
    id: 'get',
    label: "`context.get('requestId')` vs `als.getStore().requestId`",
    target: 1.1,
    variants: {
      raw: '`als.getStore().requestId`',
      ours: "`context.get('requestId')`",
      rawGuarded: 'diagnostic: `als.getStore()?.requestId` (raw, but safe outside a run)',
    },
  },
  {
    id: 'run',
    label: '`context.run({ requestId }, fn)` vs `als.run({ requestId }, fn)`',
    target: 1.2,
    variants: {
      raw: '`als.run({ requestId }, fn)`',
      ours: '`context.run({ requestId }, fn)` as shipped',
      spreadFreeze: 'diagnostic: `als.run(Object.freeze({ ...current, ...values }), fn)`',
    },
  },
  {
    id: 'run-nested',
    label: 'the same `run`, nested in an outer `run` (outer store has 2 keys)',
    target: 1.2,
    variants: {
      raw: '`als.run({ requestId }, fn)`',
      ours: '`context.run({ requestId }, fn)` as shipped',
      spreadFreeze: 'diagnostic: `als.run(Object.freeze({ ...current, ...values }), fn)`',
    },
  },
  {
    id: 'bind-emitter',
    label: 'per request: bind two emitters (req, res), add one listener, emit it',
    variants: {
      raw: 'no binding (what the raw middleware does)',
      ours: '`bindEmitter(emitter)`: every context (`AsyncLocalStorage.bind` per listener)',
      oursContext: '`bindEmitter(emitter, context)`: one context, the Fastify and Hono adapters\' path',
      oursStore: 'the store carried by each emitter, `emit` run in it (replaced once per class): the Express, Koa and hapi adapters\' path',
      patchOnly: 'diagnostic: 7 listener methods patched on each emitter itself, listeners not wrapped (an earlier design)',
      resourceBind: 'diagnostic: every context, with `new AsyncResource()` + closure per listener',
    },
  },
];
