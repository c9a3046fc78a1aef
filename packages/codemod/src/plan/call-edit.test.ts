// What a call site becomes in the text apply writes, for the shapes where the plain replacement of an
// argument would not compile.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

describe('call sites: arguments read from the context', () => {
  it('a shorthand property passed to a kept function keeps its key', () => {
    const run = unthreadInline({
      'src/mail.ts': [
        'export interface Mail { to: string; requestId: string; optionalId?: string }',
        'export function sendEmail({ to, requestId }: Mail): string {',
        '  return `${requestId} ${to}`;',
        '}',
        'export const senders = [sendEmail];',
        '',
      ].join('\n'),
      'src/notify.ts': [
        "import { sendEmail } from './mail.js';",
        '',
        'export function notify(to: string, requestId: string): string {',
        '  return sendEmail({ to, requestId });',
        '}',
        '',
        'export function notifyBoth(to: string, requestId: string): string[] {',
        '  return [sendEmail({ requestId, to }), sendEmail({ to, requestId: requestId })];',
        '}',
        '',
      ].join('\n'),
    });
    expect(run.keeps('sendEmail').map((k) => k.reason)).toEqual(['used-as-value']);
    expect(run.output['src/notify.ts']).toBe(
      [
        "import { sendEmail } from './mail.js';",
        "import { request } from './context.js';",
        '',
        'export function notify(to: string): string {',
        "  return sendEmail({ to, requestId: request.get('requestId') });",
        '}',
        '',
        'export function notifyBoth(to: string): string[] {',
        "  return [sendEmail({ requestId: request.get('requestId'), to }), sendEmail({ to, requestId: request.get('requestId') })];",
        '}',
        '',
      ].join('\n'),
    );
  });

  it('an optional shorthand key reads with tryGet', () => {
    const run = unthreadInline({
      'src/mail.ts': [
        'export function sendEmail({ to, requestId }: { to: string; requestId?: string }): string {',
        "  return `${requestId ?? '-'} ${to}`;",
        '}',
        'export const senders = [sendEmail];',
        '',
      ].join('\n'),
      'src/notify.ts': [
        "import { sendEmail } from './mail.js';",
        '',
        'export function notify(to: string, requestId?: string): string {',
        '  return sendEmail({ to, requestId });',
        '}',
        '',
      ].join('\n'),
    });
    expect(run.output['src/notify.ts']).toContain("  return sendEmail({ to, requestId: request.tryGet('requestId') });\n");
  });
});

describe('call sites: narrowing kept outside run()', () => {
  const GREET = 'export function greet(name: string, requestId: string): string {\n  return `${requestId} ${name}`;\n}\n';

  it('a narrowed property read is evaluated into a const before the statement', () => {
    const run = unthreadInline({
      'src/greet.ts': GREET,
      'src/handle.ts': [
        "import { greet } from './greet.js';",
        '',
        'interface State { user?: { name: string }; label: string }',
        '',
        // Two values: with one, both statements would share one run() and the narrowing with it.
        'export function handle(state: State, id: string): string {',
        '  if (state.user) return greet(state.user.name, id);',
        '  return greet(state.label, `${id}-l`);',
        '}',
        '',
        'export function welcome(state: State, id: string): string {',
        "  if (!state.user) throw new Error('no user');",
        "  const line = greet(state.user['name'].trim(), `${id}-w`);",
        '  return line;',
        '}',
        '',
      ].join('\n'),
    });
    expect(run.output['src/handle.ts']).toBe(
      [
        "import { greet } from './greet.js';",
        "import { request } from './context.js';",
        '',
        'interface State { user?: { name: string }; label: string }',
        '',
        'export function handle(state: State, id: string): string {',
        "  if (state.user) { const name = state.user.name; return request.run({ requestId: id }, () => greet(name)); }",
        "  const label = state.label;",
        "  return request.run({ requestId: `${id}-l` }, () => greet(label));",
        '}',
        '',
        'export function welcome(state: State, id: string): string {',
        "  if (!state.user) throw new Error('no user');",
        "  const arg = state.user['name'].trim();",
        "  const line = request.run({ requestId: `${id}-w` }, () => greet(arg));",
        '  return line;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a call no narrowing can reach, or that an earlier effect of its statement would follow, keeps its arguments in the callback', () => {
    const run = unthreadInline({
      'src/greet.ts': GREET,
      'src/handle.ts': [
        "import { greet } from './greet.js';",
        '',
        'export const handle = (state: { label: string }, id: string): string => greet(state.label, id);',
        '',
        'export function later(state: { label: string }, id: string, bump: () => string): string {',
        "  if (!id) return '';",
        '  return bump() + greet(state.label.trim(), id);',
        '}',
        '',
        'export function first(state: { label: string }, id: string): string {',
        '  return greet(state.label, id);',
        '}',
        '',
      ].join('\n'),
    });
    expect(run.output['src/handle.ts']).toBe(
      [
        "import { greet } from './greet.js';",
        "import { request } from './context.js';",
        '',
        'export const handle = (state: { label: string }, id: string): string => request.run({ requestId: id }, () => greet(state.label));',
        '',
        'export function later(state: { label: string }, id: string, bump: () => string): string {',
        "  if (!id) return '';",
        '  return bump() + request.run({ requestId: id }, () => greet(state.label.trim()));',
        '}',
        '',
        'export function first(state: { label: string }, id: string): string {',
        "  return request.run({ requestId: id }, () => greet(state.label));",
        '}',
        '',
      ].join('\n'),
    );
  });
});
