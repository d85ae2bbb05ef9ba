import type { RawRequest, VerifyResult } from '../types.js';
import { safeEqualText } from './safe-equal.js';

/**
 * The presented token equals one of the configured secrets. Every secret is compared, so the time
 * taken does not reveal which one (or whether an early one) matched.
 */
export function verifyToken(presented: string | undefined, secrets: readonly string[]): VerifyResult {
  if (presented === undefined || presented === '') return { ok: false, reason: 'missing' };
  let matched = false;
  for (const secret of secrets) matched = safeEqualText(presented, secret) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** A shared token sent as-is in a provider header (GitLab `X-Gitlab-Token`, custom headers). */
export function verifyTokenHeader(req: RawRequest, header: string, secrets: readonly string[]): VerifyResult {
  return verifyToken(req.headers[header.toLowerCase()]?.trim(), secrets);
}

/** Split `Authorization: <scheme> <credentials>`; the scheme is case-insensitive (RFC 9110). */
export function readAuthorization(req: RawRequest): { scheme: string; credentials: string } | undefined {
  const value = req.headers['authorization']?.trim();
  if (!value) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S.*)$/.exec(value);
  if (!m) return { scheme: '', credentials: '' };
  return { scheme: m[1]!.toLowerCase(), credentials: m[2]!.trim() };
}

/** `Authorization: Bearer <token>` equals one of the secrets. */
export function verifyBearer(req: RawRequest, secrets: readonly string[]): VerifyResult {
  const auth = readAuthorization(req);
  if (auth === undefined) return { ok: false, reason: 'missing' };
  if (auth.scheme !== 'bearer') return { ok: false, reason: 'malformed' };
  return verifyToken(auth.credentials, secrets);
}
