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
