import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { HookbridgeConfig } from '../config/schema.js';
import type { Logger } from '../lib/log.js';
import { HttpError } from './http-error.js';

export type LimitKind = 'per_ip' | 'per_source' | 'failed_auth';

export interface LimiterSpec {
  readonly keyPrefix: string;
  readonly points: number;
  readonly durationSec: number;
}

/** Makes one limiter. Memory keeps counts per process; Redis shares them between instances. */
export type LimiterBackend = (spec: LimiterSpec) => RateLimiterAbstract;

export const memoryLimiters: LimiterBackend = (s) => new RateLimiterMemory({ keyPrefix: s.keyPrefix, points: s.points, duration: s.durationSec });

/** `client` is an ioredis client; the in-process limiter stands in while Redis is unreachable. */
export const redisLimiters =
  (client: unknown): LimiterBackend =>
  (s) =>
    new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `hookbridge:rl:${s.keyPrefix}`,
      points: s.points,
      duration: s.durationSec,
      insuranceLimiter: memoryLimiters(s),
    });

/** The limits of one config version, checked before a request is verified. */
export interface RateLimits {
  /** Throws 429 (with Retry-After) when the address is blocked or over its per-IP or per-source limit. */
  admit(sourceId: string, ip: string): Promise<void>;
  /** Counts a 401 against the address; the one that reaches `failedAuth.max` blocks it. */
  authFailed(sourceId: string, ip: string): Promise<void>;
}

export interface RateLimitOptions {
  readonly log: Logger;
  readonly onLimited?: (source: string, limit: LimitKind) => void;
  readonly backend?: LimiterBackend;
  /** The limits being replaced by a reload: limiters whose settings did not change are kept with their counts and blocks. */
  readonly previous?: RateLimits;
}

interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
}

type Pool = Map<string, Consumer | RateLimiterAbstract>;
const pools = new WeakMap<RateLimits, Pool>();

const unitSec = { s: 1, m: 60, h: 3600 } as const;
function parseRate(rate: string): { points: number; durationSec: number } {
  const [n, unit] = rate.split('/') as [string, keyof typeof unitSec];
  return { points: Number(n), durationSec: unitSec[unit] };
}

export function rateLimits(config: Pick<HookbridgeConfig, 'server' | 'sources'>, o: RateLimitOptions): RateLimits {
  const backend = o.backend ?? memoryLimiters;
  const old = (o.previous && pools.get(o.previous)) ?? new Map();
  const pool: Pool = new Map();
  const reuse = <T extends Consumer | RateLimiterAbstract>(id: string, make: () => T): T => {
    const found = (old.get(id) as T | undefined) ?? make();
    pool.set(id, found);
    return found;
  };

  const server = config.server.rateLimit;
  let perIp: { limiter: Consumer; quietMs: number } | undefined;
  if (server?.perIp) {
    const { points, durationSec } = parseRate(server.perIp);
    const burst = server.burst;
    // The burst allowance refills at the steady rate: `burst` extra requests take burst/rate to earn back.
    const burstSec = burst ? Math.max(durationSec, (burst * durationSec) / points) : 0;
    const limiter = reuse(`per_ip:${server.perIp}:${burst ?? 0}`, () => {
      const steady = backend({ keyPrefix: 'per_ip', points, durationSec });
      return burst ? new BurstyRateLimiter(steady, backend({ keyPrefix: 'per_ip_burst', points: burst, durationSec: burstSec })) : steady;
    });
    perIp = { limiter, quietMs: Math.max(durationSec, burstSec) * 1000 };
  }

  const perSource = new Map<string, { limiter: Consumer; quietMs: number }>();
  for (const [id, cfg] of Object.entries(config.sources)) {
    if (typeof cfg.rateLimit !== 'string') continue;
    const { points, durationSec } = parseRate(cfg.rateLimit);
    const limiter = reuse(`per_source:${id}:${cfg.rateLimit}`, () => backend({ keyPrefix: `per_source:${id}`, points, durationSec }));
    perSource.set(id, { limiter, quietMs: durationSec * 1000 });
  }

  const fa = server?.failedAuth;
  const failedAuth = fa && {
    ...fa,
    limiter: reuse(`failed_auth:${fa.max}:${fa.window}:${fa.block}`, () =>
      backend({ keyPrefix: 'failed_auth', points: fa.max, durationSec: fa.window / 1000 }),
    ),
  };

  const newBlock = blockStarts();
  const refuse = (kind: LimitKind, sourceId: string, ip: string, msBeforeNext: number, quietMs: number): never => {
    o.onLimited?.(sourceId, kind);
    const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
    // A failed-auth block was logged when it began (authFailed); the others are noticed at their first refusal.
    if (kind !== 'failed_auth' && newBlock(`${kind}:${kind === 'per_source' ? sourceId : ip}`, quietMs)) {
      o.log.warn({ limit: kind, source: sourceId, ip, retryAfter }, 'rate limit reached; refusing with 429');
    }
    throw new HttpError(429, 'rate limit exceeded', 'rate_limited', { 'retry-after': String(retryAfter) });
  };
  // A limiter whose store fails (Redis down, no insurance) lets traffic through: the signature check still guards.
  const consume = async (c: { limiter: Consumer; quietMs: number }, key: string, kind: LimitKind, sourceId: string, ip: string) => {
    try {
      await c.limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) refuse(kind, sourceId, ip, err.msBeforeNext, c.quietMs);
      o.log.warn({ err, limit: kind }, 'rate limiter unavailable; request let through');
    }
  };

  const limits: RateLimits = {
    async admit(sourceId, ip) {
      if (failedAuth) {
        const res = await failedAuth.limiter.get(ip).catch(() => null);
        if (res && res.consumedPoints > failedAuth.max && res.msBeforeNext > 0) refuse('failed_auth', sourceId, ip, res.msBeforeNext, 0);
      }
      if (perIp) await consume(perIp, ip, 'per_ip', sourceId, ip);
      const src = perSource.get(sourceId);
      if (src) await consume(src, sourceId, 'per_source', sourceId, ip);
    },
    async authFailed(sourceId, ip) {
      if (!failedAuth) return;
      const res = await failedAuth.limiter.penalty(ip).catch(() => undefined);
      // Exactly one failure sees the count reach max (the store increments atomically), so the block and its log happen once.
      if (res?.consumedPoints !== failedAuth.max) return;
      await failedAuth.limiter.block(ip, failedAuth.block / 1000).catch(() => undefined);
      o.log.warn({ limit: 'failed_auth', source: sourceId, ip, failures: failedAuth.max, blockMs: failedAuth.block }, 'address blocked after repeated authentication failures');
    },
  };
  pools.set(limits, pool);
  return limits;
}

/**
 * Says whether a refusal starts a new block for `key`: true unless the same key was refused within
 * the last `quietMs`, so a flood logs once rather than once per request. Bounded, as keys are addresses.
 */
function blockStarts(max = 10_000): (key: string, quietMs: number) => boolean {
  const last = new Map<string, { at: number; quietMs: number }>();
  return (key, quietMs) => {
    const now = Date.now();
    const prev = last.get(key);
    last.set(key, { at: now, quietMs });
    if (prev && now - prev.at <= prev.quietMs) return false;
    if (last.size > max) {
      for (const [k, v] of last) if (now - v.at > v.quietMs) last.delete(k);
      if (last.size > max) last.clear();
    }
    return true;
  };
}
