import { describe, expect, it } from 'vitest';
import { byteOrderMarkOf, decodeText, encodeText } from './file-encoding.js';

describe('file encoding', () => {
  const text = 'export const ünïcode = "✓";\r\n';

  it('reads each byte order mark, gives the text without it, and writes the same bytes back', () => {
    const files = {
      utf8: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      utf16le: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      utf16be: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
      none: Buffer.from(text, 'utf8'),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const mark = byteOrderMarkOf(bytes);
      expect(mark ?? 'none').toBe(name);
      expect(decodeText(bytes, mark)).toBe(text);
      expect(encodeText(decodeText(bytes, mark), mark).equals(bytes)).toBe(true);
    }
  });
});
