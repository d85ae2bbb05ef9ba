import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeSignature,
  hmacVerifier,
  signHmac,
  splitSignatures,
  verifyHmac,
  type HmacScheme,
} from '../../../../src/sources/verify/hmac.js';
import { rawRequest } from '../raw-request.js';

const body = Buffer.from('Hello, World!');
const github: HmacScheme = { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

describe('signHmac', () => {
  it('matches the published GitHub test vector', () => {
    expect(signHmac(github, "It's a Secret to Everybody", [body])).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('matches the published CircleCI vector (v1= prefix)', () => {
    expect(signHmac({ algorithm: 'sha256', encoding: 'hex', prefix: 'v1=' }, 'secret', [Buffer.from('hello world')])).toBe(
      'v1=734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a',
    );
  });

  it.each([
    ['sha1', 'hex'],
    ['sha256', 'base64'],
    ['sha512', 'hex'],
    ['sha512', 'base64'],
  ] as const)('%s/%s agrees with node:crypto', (algorithm, encoding) => {
    const expected = createHmac(algorithm, 'k').update(body).digest(encoding);
    expect(signHmac({ algorithm, encoding }, 'k', [body])).toBe(expected);
  });

  it('signs bytes, not a decoded string: a non-UTF-8 body keeps its bytes', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const overBytes = signHmac(github, 'k', [raw]);
    const overDecoded = signHmac(github, 'k', [Buffer.from(raw.toString('utf8'))]);
    expect(overBytes).not.toBe(overDecoded);
    expect(verifyHmac(github, ['k'], [raw], [overBytes])).toEqual({ ok: true });
    expect(verifyHmac(github, ['k'], [raw], [overDecoded])).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('verifyHmac', () => {
  const good = signHmac(github, 'new', [body]);
  const goodOld = signHmac(github, 'old', [body]);

  it.each([
    ['valid', ['new'], [good], { ok: true }],
    ['upper-case hex', ['new'], ['sha256=' + good.slice(7).toUpperCase()], { ok: true }],
    ['second secret (rotation)', ['new', 'old'], [goodOld], { ok: true }],
    ['any of several signatures', ['new'], ['sha256=' + '0'.repeat(64), good], { ok: true }],
    ['wrong secret', ['other'], [good], { ok: false, reason: 'mismatch' }],
    ['tampered digest', ['new'], [good.slice(0, -1) + (good.endsWith('0') ? '1' : '0')], { ok: false, reason: 'mismatch' }],
    ['shorter digest', ['new'], [good.slice(0, -2)], { ok: false, reason: 'mismatch' }],
    ['longer digest', ['new'], [good + 'ab'], { ok: false, reason: 'mismatch' }],
    ['no signature', ['new'], [], { ok: false, reason: 'missing' }],
    ['missing prefix', ['new'], [good.slice(7)], { ok: false, reason: 'malformed' }],
    ['not hex', ['new'], ['sha256=zz' + good.slice(9)], { ok: false, reason: 'malformed' }],
    ['odd length hex', ['new'], [good.slice(0, -1)], { ok: false, reason: 'malformed' }],
    ['prefix only', ['new'], ['sha256='], { ok: false, reason: 'malformed' }],
  ])('%s', (_name, keys, signatures, expected) => {
    expect(verifyHmac(github, keys, [body], signatures)).toEqual(expected);
  });

  it('base64: garbage is malformed, a valid digest verifies', () => {
    const b64: HmacScheme = { algorithm: 'sha256', encoding: 'base64' };
    expect(verifyHmac(b64, ['k'], [body], [signHmac(b64, 'k', [body])])).toEqual({ ok: true });
    expect(verifyHmac(b64, ['k'], [body], ['not base64!'])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHmac(b64, ['k'], [body], ['AAAA'])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('signs the concatenation of parts', () => {
    const sig = signHmac(github, 'k', [Buffer.from('123.'), body]);
    expect(verifyHmac(github, ['k'], [Buffer.from('123.' + body.toString())], [sig])).toEqual({ ok: true });
  });
});

describe('decodeSignature', () => {
  it('returns the digest bytes', () => {
    expect(decodeSignature({ algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' }, 'sha1=00ff')).toEqual(Buffer.from([0, 255]));
  });
});

describe('splitSignatures', () => {
  it('splits and trims a list', () => {
    expect(splitSignatures('v1=a, v1=b,,', ',')).toEqual(['v1=a', 'v1=b']);
  });
});

describe('hmacVerifier', () => {
  const verify = hmacVerifier({ header: 'x-sig', algorithm: 'sha256', encoding: 'hex', prefix: 'v1=', separator: ',' });
  const sig = signHmac({ algorithm: 'sha256', encoding: 'hex', prefix: 'v1=' }, 'k2', [body]);
  const now = new Date();

  it('reads a list from the header and accepts any signature under any secret', () => {
    expect(verify(rawRequest(body, { 'x-sig': `v1=${'a'.repeat(64)},${sig}` }), { secret: ['k1', 'k2'] }, now)).toEqual({ ok: true });
  });

  it('missing header → missing, blank header → missing', () => {
    expect(verify(rawRequest(body), { secret: ['k2'] }, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verify(rawRequest(body, { 'x-sig': ' ' }), { secret: ['k2'] }, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('a changed body fails', () => {
    expect(verify(rawRequest('Hello, World?', { 'x-sig': sig }), { secret: ['k2'] }, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
