// fixtures/hono-app, before and after `unthread --param requestId`, under the same 500 concurrent
// requests, writes the same log lines under every request id. The app threads c.get('requestId').
import { describeFrameworkApp } from './support/framework-app-suite.js';

describeFrameworkApp({
  fixture: 'hono-app',
  sharedWorkField: 'longestQueue',
  wrongId: {
    file: 'store/throttled-store.js',
    find: 'requestLogger(task.requestId)',
    replaceWith: 'requestLogger(admitted[0].requestId)',
  },
  boundary: {
    adapterModule: '@unthread/context/hono',
    // Not src/app.ts: its onError keeps run(). Hono calls onError in the flow of the middleware that
    // threw, and assignRequestId runs before the adapter (which goes after it, to read the id it sets):
    // an error raised there reaches onError outside the context.
    handlerFiles: ['src/routes/orders.ts'],
    adapterInstalledOnce: true,
  },
});
