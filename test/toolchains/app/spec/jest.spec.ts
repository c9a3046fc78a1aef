import { expect, test } from '@jest/globals';
import { exercise } from '../src/app';

test('the app sees the request context under jest', async () => {
  const seen = await exercise();
  expect(seen).toEqual({
    served: 'req-1',
    job: 'job-1',
    logFields: { requestId: 'req-1' },
    outside: 'MissingContextError',
    middlewares: ['function', 'function', 'function', 'function'],
    nestModule: { global: true, exports: 2 },
  });
});
