import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyHash } from '../../../src/sources/body-hash.js';

describe('bodyHash', () => {
  it('is stable for the same bytes and differs for others', () => {
    expect(bodyHash(Buffer.from('{"a":1}'))).toBe(bodyHash(Buffer.from('{"a":1}')));
    expect(bodyHash(Buffer.from('{"a":1}'))).not.toBe(bodyHash(Buffer.from('{"a": 1}')));
  });

  it('keeps part boundaries: ("ab","c") differs from ("a","bc")', () => {
    expect(bodyHash('ab', 'c')).not.toBe(bodyHash('a', 'bc'));
  });

  it('is SHA-256 hex over length-prefixed parts', () => {
    expect(bodyHash('abc')).toBe(createHash('sha256').update('3:abc').digest('hex'));
  });
});
