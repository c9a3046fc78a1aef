// fixtures/fastify-app, before and after `unthread --param requestId`, under the same 500 concurrent
// requests, writes the same log lines under every request id. The app threads Fastify's request.id.
import { describeFrameworkApp } from './support/framework-app-suite.js';

describeFrameworkApp({
  fixture: 'fastify-app',
  sharedWorkField: 'largestBatch',
  wrongId: {
    file: 'store/batching-store.js',
    find: 'loggerFor(pending.requestId)',
    replaceWith: 'loggerFor(batch[0].requestId)',
  },
  boundary: {
    adapterModule: '@unthread/context/fastify',
    // src/app.ts: its setErrorHandler needs no run(). The adapter's onRequest hook is registered right
    // after fastify() and runs first (hooks and plugins load in code order), and Fastify calls the
    // error handler in the flow of the hook or handler that failed. The load's malformed bodies reach
    // it: their 'request failed' lines must carry their own request's id for the comparison to pass.
    handlerFiles: ['src/routes/orders.ts', 'src/app.ts'],
    adapterInstalledOnce: true,
  },
});
