import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../src/sources/verify/crc32.js';

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('%j', (text, expected) => expect(crc32(Buffer.from(text))).toBe(expected));

  it('is unsigned', () => expect(crc32(Buffer.from('hookbridge ünïcode'))).toBeGreaterThanOrEqual(0));
});
