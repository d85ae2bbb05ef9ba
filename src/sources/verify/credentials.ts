import type { RawRequest, VerifyResult } from '../types.js';
import { basicHeader, verifyBasic, type BasicCredentials } from './basic.js';
import { readAuthorization, verifyBearer, verifyTokenHeader } from './token.js';

/** What an auth-only source (one that signs nothing) is configured with; at least one is set. */
export interface SharedCredentials {
  readonly token?: readonly string[] | undefined;
  readonly basic?: BasicCredentials | undefined;
}

/**
 * A token (as `Authorization: Bearer`, or as-is in `tokenHeader`) or basic credentials, whichever
 * the request presents; with only one configured, that one is required. Used by providers whose
 * webhooks carry no signature and can only add a header or basic auth.
 */
export function verifyCredentials(req: RawRequest, cfg: SharedCredentials, tokenHeader?: string): VerifyResult {
  const auth = readAuthorization(req);
  if (cfg.basic && (auth?.scheme === 'basic' || !cfg.token)) return verifyBasic(req, [cfg.basic]);
  if (tokenHeader) return verifyTokenHeader(req, tokenHeader, cfg.token ?? []);
  return verifyBearer(req, cfg.token ?? []);
}

/** The header a sender adds for `cfg`, for `sign()`: the token when one is set, else basic auth. */
export function credentialHeaders(cfg: SharedCredentials, tokenHeader?: string): Record<string, string> {
  const token = cfg.token?.[0];
  if (token !== undefined) return tokenHeader ? { [tokenHeader.toLowerCase()]: token } : { authorization: `Bearer ${token}` };
  if (cfg.basic) return { authorization: basicHeader(cfg.basic) };
  return {};
}
