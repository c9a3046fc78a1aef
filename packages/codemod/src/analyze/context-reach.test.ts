// A call that leaves an optional threaded parameter out is wrapped in `run({ requestId: undefined })`
// only where a context holding a value can be active; code no request reaches calls the function as is.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const PRICING =
  'export function priceOf(sku: string, requestId?: string): string {\n  return `${sku}@${requestId ?? "none"}`;\n}\n';
const UNSET = 'request.run({ requestId: undefined }, () => ';

describe('analyze: where a context holding a value can be active', () => {
  it('a test calling the function directly, and a helper only tests call: no wrapper', () => {
    const run = unthreadInline({
      'src/pricing.ts': PRICING,
      'src/pricing.test.ts':
        "import { priceOf } from './pricing.js';\n\n" +
        'declare function it(name: string, fn: () => void): void;\n' +
        'declare function expect(value: unknown): { toBe(expected: unknown): void };\n\n' +
        "function sample(): string {\n  return priceOf('sample');\n}\n\n" +
        "it('prices', () => {\n  expect(priceOf('a')).toBe('a@none');\n  expect(sample()).toBe('sample@none');\n  expect([1].map(() => priceOf('b'))).toBe(1);\n});\n",
    });
    expect(run.output['src/pricing.test.ts']).toBeUndefined();
    expect(run.output['src/pricing.ts']).toContain("const requestId = request.tryGet('requestId');");
  });

  it('start-up code: the module top level and a main() only it calls', () => {
    const run = unthreadInline({
      'src/pricing.ts': PRICING,
      'src/main.ts':
        "import { priceOf } from './pricing.js';\n\n" +
        "console.log(priceOf('boot'));\n\n" +
        "const main = (): void => {\n  setTimeout(() => console.log(priceOf('later')), 10);\n};\n\nmain();\n",
    });
    expect(run.output['src/main.ts']).toBeUndefined();
  });

  it('code a value reaches keeps its wrapper: a function a job runs, a listener, an exported function, a handler', () => {
    const run = unthreadInline({
      'src/pricing.ts': PRICING,
      'src/jobs.ts':
        "import { priceOf } from './pricing.js';\n\n" +
        "function step(): string {\n  return priceOf('step');\n}\n\n" +
        'function job(sku: string, requestId: string): string {\n  return step() + priceOf(sku, requestId);\n}\n\n' +
        "console.log(job('a', 'job-1'));\n",
      'src/events.ts':
        "import { EventEmitter } from 'node:events';\nimport { priceOf } from './pricing.js';\n\n" +
        "export const events = new EventEmitter();\nevents.on('sold', () => console.log(priceOf('sold')));\n",
      'src/api.ts': "import { priceOf } from './pricing.js';\n\nexport function quote(): string {\n  return priceOf('quote');\n}\n",
      'src/test/fixtures.ts':
        "import { priceOf } from '../pricing.js';\n\nexport class Cart {\n  total = priceOf('field');\n}\n",
    });
    expect(run.output['src/jobs.ts']).toContain(`return ${UNSET}priceOf('step'));`);
    expect(run.output['src/jobs.ts']).toContain("request.run({ requestId: 'job-1' }, () => job('a'))");
    expect(run.output['src/events.ts']).toContain(`${UNSET}priceOf('sold'))`);
    expect(run.output['src/api.ts']).toContain(`${UNSET}priceOf('quote'))`);
    expect(run.output['src/test/fixtures.ts']).toContain(`total = ${UNSET}priceOf('field'));`);
  });

  it('a test that sets the context itself, or a statement that also passes a value, keeps the wrapper', () => {
    const run = unthreadInline({
      'src/pricing.ts': PRICING,
      'src/ctx.ts': 'export const als = { run<T>(_values: object, fn: () => T): T {\n  return fn();\n} };\n',
      'src/pricing.test.ts':
        "import { als } from './ctx.js';\nimport { priceOf } from './pricing.js';\n\n" +
        'declare function it(name: string, fn: () => void): void;\n\n' +
        "it('in a request', () => {\n  als.run({ requestId: 'r' }, () => priceOf('a'));\n  console.log(priceOf('b', 'r-2') + priceOf('c'));\n});\n",
    });
    const test = run.output['src/pricing.test.ts'] ?? '';
    expect(test).toContain(`als.run({ requestId: 'r' }, () => ${UNSET}priceOf('a')));`);
    expect(test).toContain(`${UNSET}priceOf('c'))`);
  });

  it('a file this run does not change that leaves the parameter out where no request reaches does not keep the function', () => {
    const run = unthreadInline(
      {
        'src/pricing.ts': PRICING,
        'test/pricing.test.ts':
          "import { priceOf } from '../src/pricing.js';\n\ndeclare function test(name: string, fn: () => void): void;\n\n" +
          "test('prices', () => {\n  console.log(priceOf('a'));\n});\n",
      },
      { paths: ['src'] },
    );
    expect(run.fn('priceOf').decision).toBe('strip');
  });
});
