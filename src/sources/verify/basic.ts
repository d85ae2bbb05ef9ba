import type { RawRequest, VerifyResult } from '../types.js';
import { safeEqualText } from './safe-equal.js';
import { readAuthorization } from './token.js';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Decode `Basic <base64(user:pass)>` credentials; undefined when they are not of that shape. */
export function decodeBasic(credentials: string): BasicCredentials | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) return undefined;
  const text = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * HTTP basic auth against any of the configured credentials. Username and password are both
 * compared every time, so a right username with a wrong password takes as long as a wrong username.
 */
export function verifyBasic(req: RawRequest, accepted: readonly BasicCredentials[]): VerifyResult {
  const auth = readAuthorization(req);
  if (auth === undefined) return { ok: false, reason: 'missing' };
  if (auth.scheme !== 'basic') return { ok: false, reason: 'malformed' };
  const presented = decodeBasic(auth.credentials);
  if (presented === undefined) return { ok: false, reason: 'malformed' };
  let matched = false;
  for (const c of accepted) {
    const user = safeEqualText(presented.username, c.username);
    const pass = safeEqualText(presented.password, c.password);
    matched = (user && pass) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The header value a sender puts on the request, for `sign()` and tests. */
export function basicHeader(c: BasicCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}
