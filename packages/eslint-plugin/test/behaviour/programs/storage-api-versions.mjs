// no-unsupported-storage-api: the constructor options `defaultValue` and `name` take effect from Node
// 24.0; Node 20 accepts and ignores them, so code written for them silently reads `undefined` there.
// `withScope` exists from Node 24.20.
import { AsyncLocalStorage } from 'node:async_hooks';
import { report } from './report.mjs';

const als = new AsyncLocalStorage({ defaultValue: { user: 'anonymous' }, name: 'request' }); // flagged: no-unsupported-storage-api, no-unsupported-storage-api

report({
  defaultValue: als.getStore()?.user ?? null,
  name: als.name ?? null,
  hasWithScope: typeof als.withScope === 'function',
});
