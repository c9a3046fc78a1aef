// fixtures/koa-app, before and after `unthread --param requestId`, under the same 500 concurrent
// requests, writes the same log lines under every request id. The app threads ctx.state.requestId.
import { describeFrameworkApp } from './support/framework-app-suite.js';

describeFrameworkApp({
  fixture: 'koa-app',
  sharedWorkField: 'largestPipeline',
  wrongId: {
    file: 'db/pipelined-client.js',
    find: 'logWith(sent.requestId)',
    replaceWith: 'logWith(batch[0].requestId)',
  },
  boundary: {
    adapterModule: '@unthread/context/koa',
    handlerFiles: ['src/routes/orders.ts', 'src/middleware/errors.ts'],
    adapterInstalledOnce: true,
  },
});
