// What a formatter made of one changed file, whichever formatter it was.

export interface FormatResult {
  /** The formatted text; absent when the file is left as the change made it. */
  after?: string;
  /** Why the formatter failed on the file (it is then written unformatted). */
  error?: string;
}

/** The first line of what a failed formatter said: its own message, not a stack. */
export function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0] ?? '';
}
