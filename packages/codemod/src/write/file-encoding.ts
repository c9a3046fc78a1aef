// The bytes a file is written back in. TypeScript reads a file's text without its byte order mark
// (and decodes UTF-16), so the texts the codemod edits carry none: the mark is taken from the bytes
// on disk and put back, and a UTF-16 file stays UTF-16.
export type ByteOrderMark = 'utf8' | 'utf16le' | 'utf16be' | undefined;

export function byteOrderMarkOf(bytes: Buffer): ByteOrderMark {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return undefined;
}

/** The text of `bytes` as TypeScript reads it: decoded, without the mark. */
export function decodeText(bytes: Buffer, mark: ByteOrderMark): string {
  if (mark === 'utf8') return bytes.toString('utf8', 3);
  if (mark === 'utf16le') return bytes.toString('utf16le', 2);
  if (mark === 'utf16be') return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/** `text` encoded as the file was, mark included. */
export function encodeText(text: string, mark: ByteOrderMark): Buffer {
  if (mark === 'utf8') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (mark === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (mark === 'utf16be') return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  return Buffer.from(text, 'utf8');
}
