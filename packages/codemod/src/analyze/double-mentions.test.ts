// A test names a function it replaced by a double to configure or query the double: that is not a
// value use, so the function changes, and the assertions on the double change with it.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const DOUBLES = [
  'export interface Double {',
  '  mockResolvedValue(value: unknown): void;',
  '  mockReset(): void;',
  '  mockImplementation(body: (...args: never[]) => unknown): void;',
  '}',
  'export type Mocked<T> = { [K in keyof T]: T[K] & Double } & T;',
  'export type MockedFunction<F> = F & Double;',
  'export function mockOf<T>(): Mocked<T> {',
  '  return {} as Mocked<T>;',
  '}',
  '// eslint-disable-next-line @typescript-eslint/no-explicit-any',
  'export function expect(value: unknown): any {',
  '  return value;',
  '}',
  '',
].join('\n');

describe('mentions of a test double', () => {
  it('configuring or querying a double keeps nothing; an assertion on a same-named method of another class keeps nothing', () => {
    const run = unthreadInline(
      {
        'src/settings.ts': 'export interface Settings {\n  region: string;\n}\n',
        'src/client.ts': [
          'export class Client {',
          '  async lookUp(code: string): Promise<string> {',
          '    return code;',
          '  }',
          '}',
          '',
        ].join('\n'),
        'src/catalogue.ts': [
          "import type { Client } from './client.js';",
          "import type { Settings } from './settings.js';",
          'export class Catalogue {',
          '  constructor(private readonly client: Client) {}',
          '  async lookUp(settings: Settings, code: string): Promise<string> {',
          '    return this.client.lookUp(`${settings.region}-${code}`);',
          '  }',
          '}',
          '',
        ].join('\n'),
        'src/page.ts': [
          "import type { Catalogue } from './catalogue.js';",
          "import type { Settings } from './settings.js';",
          'export async function render(settings: Settings, catalogue: Catalogue): Promise<string> {',
          "  return catalogue.lookUp(settings, 'a');",
          '}',
          '',
        ].join('\n'),
        'test/doubles.ts': DOUBLES,
        'test/page.test.ts': [
          "import type { Catalogue } from '../src/catalogue.js';",
          "import type { Client } from '../src/client.js';",
          "import { render } from '../src/page.js';",
          "import { expect, mockOf, type Mocked, type MockedFunction } from './doubles.js';",
          'export async function checks(): Promise<void> {',
          '  const catalogue = mockOf<Catalogue>();',
          '  const client = mockOf<Client>();',
          "  const settings = { region: 'eu' };",
          "  catalogue.lookUp.mockResolvedValue('x');",
          "  (catalogue.lookUp as Mocked<Catalogue>['lookUp']).mockReset();",
          "  catalogue.lookUp.mockImplementation(() => 'y');",
          "  (render as MockedFunction<typeof render>).mockReset();",
          '  await render(settings, catalogue);',
          "  expect(catalogue.lookUp).toHaveBeenCalledWith(settings, 'a');",
          '  expect(catalogue.lookUp).not.toHaveBeenCalledTimes(2);',
          '  expect(catalogue.lookUp);',
          "  expect(client.lookUp).toHaveBeenCalledWith('eu-a');",
          '}',
          '',
        ].join('\n'),
      },
      { params: ['settings'] },
    );
    expect(run.keeps('Catalogue.lookUp')).toEqual([]);
    expect(run.keeps('render')).toEqual([]);
    expect(run.fn('Catalogue.lookUp').decision).toBe('strip');
    expect(run.output['test/page.test.ts']).toBe(
      [
        "import type { Catalogue } from '../src/catalogue.js';",
        "import type { Client } from '../src/client.js';",
        "import { render } from '../src/page.js';",
        "import { expect, mockOf, type Mocked, type MockedFunction } from './doubles.js';",
        "import { request } from '../src/context.js';",
        'export async function checks(): Promise<void> {',
        '  const catalogue = mockOf<Catalogue>();',
        '  const client = mockOf<Client>();',
        "  const settings = { region: 'eu' };",
        "  catalogue.lookUp.mockResolvedValue('x');",
        "  (catalogue.lookUp as Mocked<Catalogue>['lookUp']).mockReset();",
        "  catalogue.lookUp.mockImplementation(() => 'y');",
        "  (render as MockedFunction<typeof render>).mockReset();",
        '  await request.run({ settings }, () => render(catalogue));',
        "  expect(catalogue.lookUp).toHaveBeenCalledWith('a');",
        '  expect(catalogue.lookUp).not.toHaveBeenCalledTimes(2);',
        '  expect(catalogue.lookUp);',
        "  expect(client.lookUp).toHaveBeenCalledWith('eu-a');",
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a body that reads the argument list by position still keeps the function', () => {
    const run = unthreadInline(
      {
        'src/jobs.ts': [
          'export class Jobs {',
          '  async start(requestId: string, name: string): Promise<string> {',
          '    return requestId + name;',
          '  }',
          '}',
          '',
        ].join('\n'),
        'test/doubles.ts': DOUBLES,
        'test/jobs.test.ts': [
          "import type { Jobs } from '../src/jobs.js';",
          "import { mockOf } from './doubles.js';",
          'export function fake(): void {',
          '  const jobs = mockOf<Jobs>();',
          "  jobs.start.mockImplementation(async (id: string, name: string) => id + name);",
          '}',
          '',
        ].join('\n'),
      },
    );
    expect(run.keeps('Jobs.start').map((k) => [k.reason, k.at])).toEqual([['used-as-value', 'test/jobs.test.ts:5']]);
  });
});
