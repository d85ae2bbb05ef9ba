import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { VerifyResult } from '../types.js';

/** DER prefix of an SPKI-wrapped raw Ed25519 public key (RFC 8410); the 32 key bytes follow it. */
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** A raw 32-byte Ed25519 public key given as hex (Discord's form) → KeyObject; undefined if not one. */
export function ed25519PublicKey(hex: string): KeyObject | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** Ed25519 signature (hex, 64 bytes) over the concatenated parts. */
export function verifyEd25519(key: KeyObject, signatureHex: string | undefined, parts: readonly Uint8Array[]): VerifyResult {
  if (signatureHex === undefined || signatureHex === '') return { ok: false, reason: 'missing' };
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return { ok: false, reason: 'malformed' };
  const ok = cryptoVerify(null, Buffer.concat(parts), key, Buffer.from(signatureHex, 'hex'));
  return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (PayPal's SHA256withRSA), base64 signature over the parts. */
export function verifyRsaSha256(key: KeyObject, signatureBase64: string | undefined, parts: readonly Uint8Array[]): VerifyResult {
  if (signatureBase64 === undefined || signatureBase64 === '') return { ok: false, reason: 'missing' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return { ok: false, reason: 'malformed' };
  try {
    const ok = cryptoVerify('sha256', Buffer.concat(parts), key, Buffer.from(signatureBase64, 'base64'));
    return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
  } catch {
    // A signature of the wrong size for the key makes OpenSSL throw rather than answer false.
    return { ok: false, reason: 'mismatch' };
  }
}
