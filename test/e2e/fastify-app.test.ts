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
    handlerFiles: ['src/routes/orders.ts', 'src/app.ts'],
    adapterInstalledOnce: false,
  },
});
