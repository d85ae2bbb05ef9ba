import { createHmac } from 'node:crypto';
import type { RawRequest, Verifier, VerifyResult } from '../types.js';
import { safeEqual } from './safe-equal.js';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type DigestEncoding = 'hex' | 'base64';

/** A key as configured (used as UTF-8 text) or as bytes (e.g. a decoded `whsec_` secret). */
export type HmacKey = string | Uint8Array;

export interface HmacScheme {
  readonly algorithm: HmacAlgorithm;
  readonly encoding: DigestEncoding;
  /** Text before the digest in each signature, e.g. `sha256=` or `v1,`. */
  readonly prefix?: string;
}

const hexPattern = /^[0-9a-fA-F]*$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** HMAC over the concatenation of `parts`, fed as bytes so nothing is re-encoded. */
export function hmac(algorithm: HmacAlgorithm, key: HmacKey, parts: readonly Uint8Array[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** The signature text a sender would put in its header for `parts`. */
export function signHmac(scheme: HmacScheme, key: HmacKey, parts: readonly Uint8Array[]): string {
  return (scheme.prefix ?? '') + hmac(scheme.algorithm, key, parts).toString(scheme.encoding);
}

/**
 * Decode one signature to digest bytes; undefined when it is not text of the scheme's shape
 * (missing prefix, non-hex / non-base64 characters). A well-formed digest of the wrong length
 * decodes fine and simply fails the comparison.
 */
export function decodeSignature(scheme: HmacScheme, signature: string): Buffer | undefined {
  const prefix = scheme.prefix ?? '';
  if (!signature.startsWith(prefix)) return undefined;
  const text = signature.slice(prefix.length).trim();
  if (text === '') return undefined;
  if (scheme.encoding === 'hex') return hexPattern.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
  return base64Pattern.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/**
 * Accept when any signature matches the HMAC of `parts` under any key (several signatures appear
 * while a sender rotates; several keys are configured while we do). Every pair is compared, so
 * the time taken does not depend on which one matched.
 */
export function verifyHmac(
  scheme: HmacScheme,
  keys: readonly HmacKey[],
  parts: readonly Uint8Array[],
  signatures: readonly string[],
): VerifyResult {
  if (signatures.length === 0) return { ok: false, reason: 'missing' };
  const decoded = signatures.map((s) => decodeSignature(scheme, s));
  const usable = decoded.filter((d): d is Buffer => d !== undefined);
  if (usable.length === 0) return { ok: false, reason: 'malformed' };
  let matched = false;
  for (const key of keys) {
    const expected = hmac(scheme.algorithm, key, parts);
    for (const candidate of usable) matched = safeEqual(candidate, expected) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Split a header holding several signatures; empty entries are dropped. */
export function splitSignatures(header: string, separator: string | RegExp): string[] {
  return header
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Where a signature of the raw body travels: one header, optionally holding a list. */
export interface HeaderScheme extends HmacScheme {
  /** Lower-case header name. */
  readonly header: string;
  /** Set when the header may hold several signatures (e.g. `,` for `v1=a,v1=b`). */
  readonly separator?: string | RegExp;
}

/** Read the signatures a request carries in `scheme.header`; empty when the header is absent or blank. */
export function readSignatures(req: RawRequest, scheme: HeaderScheme): string[] {
  const value = req.headers[scheme.header];
  if (value === undefined) return [];
  if (scheme.separator !== undefined) return splitSignatures(value, scheme.separator);
  const single = value.trim();
  return single === '' ? [] : [single];
}

/** HMAC of the raw body bytes, checked against the signature header, for each configured secret. */
export function verifyBodyHmac(req: RawRequest, scheme: HeaderScheme, keys: readonly HmacKey[]): VerifyResult {
  return verifyHmac(scheme, keys, [req.body], readSignatures(req, scheme));
}

/** A source verifier for "HMAC of the body in one header", keyed by the source's `secret` list. */
export function hmacVerifier(scheme: HeaderScheme): Verifier<{ secret: readonly string[] }> {
  return (req, cfg) => verifyBodyHmac(req, scheme, cfg.secret);
}
