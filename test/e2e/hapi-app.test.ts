// fixtures/hapi-app, before and after `unthread --param requestId`, under the same 500 concurrent
// requests, writes the same log lines under every request id. The app threads the caller's x-request-id.
import { describeFrameworkApp } from './support/framework-app-suite.js';

describeFrameworkApp({
  fixture: 'hapi-app',
  sharedWorkField: 'largestBatch',
  wrongId: {
    file: 'store/batching-store.js',
    find: 'loggerFor(pending.requestId)',
    replaceWith: 'loggerFor(batch[0].requestId)',
  },
  boundary: {
    adapterModule: '@unthread/context/hapi',
    // src/hooks/trace.ts: the onRequest, onPreResponse and onPostResponse extensions need no run(). The
    // plugin is registered and awaited right after the server is made, before any route or extension,
    // and hapi runs every step of a request, the malformed bodies' 400 included, in its context.
    handlerFiles: ['src/routes/orders.ts', 'src/hooks/trace.ts'],
    adapterInstalledOnce: true,
  },
});
