import type { HookbridgeConfig } from '../config/schema.js';
import type { Logger } from '../lib/log.js';
import { allowlist, type Allowlist } from './allowlist.js';
import { clientIpResolver, type PeerRequest } from './client-ip.js';
import type { Metrics } from './metrics.js';
import { rateLimits, type LimiterBackend, type RateLimits } from './rate-limit.js';

/** The checks that run before a webhook's body is read, built once per config version. */
export interface InboundGuards {
  readonly clientIp: (ctx: PeerRequest) => string;
  readonly allowlist: Allowlist;
  readonly rateLimits: RateLimits;
}

export interface InboundGuardOptions {
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The guards a reload replaces, so unchanged limits keep their counts and blocks. */
  readonly previous?: InboundGuards;
  readonly backend?: LimiterBackend;
}

/** Throws (CidrError) on a bad `trustProxy` or `allow` entry, so a reload with one is refused as a whole. */
export function inboundGuards(config: Pick<HookbridgeConfig, 'server' | 'sources'>, o: InboundGuardOptions): InboundGuards {
  return {
    clientIp: clientIpResolver(config.server.trustProxy),
    allowlist: allowlist(config.sources),
    rateLimits: rateLimits(config, {
      log: o.log,
      onLimited: (source, limit) => o.metrics.rateLimited.inc({ source, limit }),
      ...(o.previous && { previous: o.previous.rateLimits }),
      ...(o.backend && { backend: o.backend }),
    }),
  };
}
