// Line breaks of the files the codemod creates (the context module): those of the repository's own
// files, so a CRLF repository does not get one LF file. Edits inside an existing file already use
// that file's line break.
import type { FileChange } from '../public-types.js';

/** `\r\n` when most of `texts` (by file, judged by their first line break) use it, else `\n`. */
export function dominantNewline(texts: Iterable<string>): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const text of texts) {
    const at = text.indexOf('\n');
    if (at === -1) continue;
    if (at > 0 && text[at - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The changes with every created file's line breaks made `newline`. */
export function createdFilesWithNewline(changes: readonly FileChange[], newline: '\n' | '\r\n'): FileChange[] {
  if (newline === '\n') return [...changes];
  return changes.map((c) => (c.before === undefined ? { ...c, after: c.after.replace(/\r?\n/g, '\r\n') } : c));
}
