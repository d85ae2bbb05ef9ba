import type { SourceConfig } from '../config/schema.js';
import { CidrError, parseCidrList, type AddressSet } from './cidr.js';
import { HttpError } from './http-error.js';

/** Per-source sender allowlists (`sources.<id>.allow`), parsed once per config version. */
export interface Allowlist {
  /** Throws 403 when the source has an allowlist and `ip` is outside it; sources without one admit everyone. */
  check(sourceId: string, ip: string): void;
}

export function allowlist(sources: Readonly<Record<string, SourceConfig>>): Allowlist {
  const lists = new Map<string, AddressSet>();
  for (const [id, cfg] of Object.entries(sources)) {
    if (!Array.isArray(cfg.allow)) continue;
    try {
      lists.set(id, parseCidrList(cfg.allow as string[]));
    } catch (err) {
      if (err instanceof CidrError) throw new CidrError(err.entry, err.reason, `sources.${id}.allow`);
      throw err;
    }
  }
  return {
    check(sourceId, ip) {
      const list = lists.get(sourceId);
      // An empty list admits no one: that is what it says, and safer than reading it as "off".
      if (list && !list.has(ip)) throw new HttpError(403, 'client address not allowed', 'not_allowed');
    },
  };
}
