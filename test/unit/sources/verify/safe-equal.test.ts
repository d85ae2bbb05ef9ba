import { describe, expect, it } from 'vitest';
import { safeEqual, safeEqualText } from '../../../../src/sources/verify/safe-equal.js';

describe('safeEqual', () => {
  it.each([
    ['equal bytes', 'abc', 'abc', true],
    ['one byte differs', 'abc', 'abd', false],
    ['shorter', 'abc', 'ab', false],
    ['longer', 'ab', 'abc', false],
    ['both empty', '', '', true],
    ['empty vs not', '', 'a', false],
  ])('%s', (_name, a, b, expected) => {
    expect(safeEqual(Buffer.from(a), Buffer.from(b))).toBe(expected);
  });

  it('does not throw on a length mismatch', () => {
    expect(() => safeEqual(Buffer.alloc(32), Buffer.alloc(31))).not.toThrow();
  });
});

describe('safeEqualText', () => {
  it.each([
    ['s3cret', 's3cret', true],
    ['s3cret', 's3creT', false],
    ['s3cret', 's3cret ', false],
    ['', 's3cret', false],
    ['pässwörd', 'pässwörd', true],
  ])('%j vs %j', (a, b, expected) => expect(safeEqualText(a, b)).toBe(expected));
});
