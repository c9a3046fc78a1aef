// A class instance handed to a place typed by an object type makes its methods implementations of
// that type's function-typed members: they change together, or keep together with one reason.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const service = [
  "import type { Settings } from './settings.js';",
  'export class Catalogue {',
  '  async lookUp(settings: Settings, code: string): Promise<string> {',
  '    return `${settings.region}/${code}`;',
  '  }',
  '}',
  '',
].join('\n');

const settings = 'export interface Settings {\n  region: string;\n}\n';

describe('values assigned to object types', () => {
  it('a class handed to a type literal parameter changes with its function-typed member', () => {
    const run = unthreadInline(
      {
        'src/settings.ts': settings,
        'src/catalogue.ts': service,
        'src/step.ts': [
          "import type { Settings } from './settings.js';",
          'export type Helpers = {',
          '  catalogue: { lookUp: (config: Settings, code: string) => Promise<string> };',
          '};',
          'export async function describeStep(settings: Settings, helpers: Helpers): Promise<string> {',
          "  return helpers.catalogue.lookUp(settings, 'x1');",
          '}',
          '',
        ].join('\n'),
        'src/main.ts': [
          "import { Catalogue } from './catalogue.js';",
          "import { describeStep } from './step.js';",
          "import type { Settings } from './settings.js';",
          'export async function handle(settings: Settings): Promise<string> {',
          '  const catalogue = new Catalogue();',
          '  return describeStep(settings, { catalogue });',
          '}',
          '',
        ].join('\n'),
      },
      { params: ['settings'] },
    );
    expect(run.plan.functions.map((f) => [f.name, f.decision]).sort()).toEqual([
      ['Catalogue.lookUp', 'strip'],
      ['describeStep', 'strip'],
      ['handle', 'strip'],
      ['lookUp', 'strip'],
    ]);
    expect(run.output['src/step.ts']).toContain('catalogue: { lookUp: (code: string) => Promise<string> };');
  });

  it('a class handed to a type of the repo\'s own .d.ts keeps with that type', () => {
    const run = unthreadInline(
      {
        'src/settings.ts': settings,
        'src/catalogue.ts': service,
        'src/types/helpers.d.ts': [
          "import type { Settings } from '../settings.js';",
          'export type Helpers = {',
          '  catalogue: { lookUp: (Settings: Settings, code: string) => Promise<string> };',
          '};',
          '',
        ].join('\n'),
        'src/step.ts': [
          "import type { Settings } from './settings.js';",
          "import type { Helpers } from './types/helpers.js';",
          'export async function describeStep(settings: Settings, helpers: Helpers): Promise<string> {',
          "  return helpers.catalogue.lookUp(settings, 'x1');",
          '}',
          '',
        ].join('\n'),
        'src/main.ts': [
          "import { Catalogue } from './catalogue.js';",
          "import { describeStep } from './step.js';",
          "import type { Settings } from './settings.js';",
          'export async function handle(settings: Settings): Promise<string> {',
          '  return describeStep(settings, { catalogue: new Catalogue() });',
          '}',
          '',
        ].join('\n'),
      },
      { params: ['settings'] },
    );
    expect(run.fn('Catalogue.lookUp').decision).toBe('keep');
    expect(run.keeps('Catalogue.lookUp').map((k) => k.reason)).toEqual(['shares-signature-with-kept']);
    expect(run.output['src/catalogue.ts']).toBeUndefined();
  });

  it('classes registered where the checker cannot follow change with the static-side interface they fit', () => {
    const run = unthreadInline(
      {
        'src/settings.ts': settings,
        'src/steps.ts': [
          "import type { Settings } from './settings.js';",
          'export interface Step {',
          '  title: string;',
          '}',
          'export interface StepClass {',
          '  new (body: string): Step;',
          '  prepare?(body: string, settings: Settings): Promise<Step>;',
          '}',
          'export class Intro implements Step {',
          '  constructor(readonly title: string) {}',
          '  static async prepare(body: string, settings: Settings): Promise<Intro> {',
          '    return new Intro(`${body} (${settings.region})`);',
          '  }',
          '}',
          'export class Outro implements Step {',
          '  constructor(readonly title: string) {}',
          '}',
          'export class Recap implements Step {',
          '  constructor(readonly title: string) {}',
          '  static async prepare(body: string, current: Settings): Promise<Recap> {',
          '    return new Recap(current.region + body);',
          '  }',
          '}',
          'const registry = new Map<string, unknown>([',
          "  ['intro', Intro],",
          "  ['outro', Outro],",
          "  ['recap', Recap],",
          ']);',
          'export async function openStep(settings: Settings, name: string): Promise<Step> {',
          '  const Kind = registry.get(name) as StepClass;',
          '  return Kind.prepare ? Kind.prepare(name, settings) : new Kind(name);',
          '}',
          '',
        ].join('\n'),
      },
      { params: ['settings'] },
    );
    expect(run.plan.functions.map((f) => [f.name, f.decision]).sort()).toEqual([
      ['Intro.prepare', 'strip'],
      ['Recap.prepare', 'strip'],
      ['StepClass.prepare', 'strip'],
      ['openStep', 'strip'],
    ]);
    expect(run.output['src/steps.ts']).toContain('  prepare?(body: string): Promise<Step>;');
    expect(run.output['src/steps.ts']).toContain("  static async prepare(body: string): Promise<Recap> {\n    const current = request.get('settings');");
    expect(run.output['src/steps.ts']).toContain('  return Kind.prepare ? Kind.prepare(name) : new Kind(name);');
  });
});
