import { describe, expect, it } from 'vitest';
import { headerParams } from '../../../../src/sources/verify/header-params.js';

describe('headerParams', () => {
  it.each([
    ['timestamp=1,signature=ab', ',', { timestamp: ['1'], signature: ['ab'] }],
    ['ts=1;h1=a;h1=b', ';', { ts: ['1'], h1: ['a', 'b'] }],
    [' v1 = a== , v2=b', ',', { v1: ['a=='], v2: ['b'] }],
    ['junk,=x,k=,ok=1', ',', { ok: ['1'] }],
  ])('%s', (header, sep, expected) => {
    expect(Object.fromEntries(headerParams(header, sep))).toEqual(expected);
  });
});
