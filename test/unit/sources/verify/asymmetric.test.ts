import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKey, verifyEd25519, verifyRsaSha256 } from '../../../../src/sources/verify/asymmetric.js';

const body = Buffer.from('{"type":1}');
const ts = Buffer.from('1700000000');

describe('verifyEd25519', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const key = ed25519PublicKey(rawHex)!;
  const signature = sign(null, Buffer.concat([ts, body]), privateKey).toString('hex');

  it('accepts a signature over timestamp + body with the raw hex public key', () => {
    expect(verifyEd25519(key, signature, [ts, body])).toEqual({ ok: true });
  });

  it('rejects a body with one extra space', () => {
    expect(verifyEd25519(key, signature, [ts, Buffer.from('{"type":1} ')])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['zz', 'malformed'],
    ['ab'.repeat(63), 'malformed'],
  ])('signature %j → %s', (sig, reason) => expect(verifyEd25519(key, sig, [ts, body])).toEqual({ ok: false, reason }));

  it('refuses a key that is not 32 hex bytes', () => {
    expect(ed25519PublicKey('abc')).toBeUndefined();
  });
});

describe('verifyRsaSha256', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = sign('sha256', body, privateKey).toString('base64');

  it('accepts a valid signature and rejects another body', () => {
    expect(verifyRsaSha256(publicKey, signature, [body])).toEqual({ ok: true });
    expect(verifyRsaSha256(publicKey, signature, [Buffer.from('{}')])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a signature of the wrong size is a mismatch, not a throw', () => {
    expect(verifyRsaSha256(publicKey, 'AAAA', [body])).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRsaSha256(publicKey, undefined, [body])).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRsaSha256(publicKey, '***', [body])).toEqual({ ok: false, reason: 'malformed' });
  });
});
