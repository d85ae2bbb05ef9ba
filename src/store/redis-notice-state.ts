import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { localNoticeState, type NoticeState } from '../delivery/ops-alerts.js';

// Admits when no notice for the key went out within the quiet window (the gate key's expiry), and
// answers how many were held back since; otherwise counts one more held back and answers -1.
const ADMIT = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then
  local held = tonumber(redis.call('GET', KEYS[2]) or '0')
  redis.call('DEL', KEYS[2])
  return held
end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return -1
`;

// A sliding window of failure times on Redis's clock: answers the count when it reaches a burst
// (and starts over), else -1.
const COUNT_FAILURE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], now, ARGV[3])
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return n
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return -1
`;

/** How long a held-back count outlives its window: the next notice after a long quiet still reports it. */
const HELD_TTL_MS = 7 * 86_400_000;

/**
 * Ops-notice quiet windows and signature-failure bursts shared by every instance on one Redis: one
 * notice per window between them, and one source's failures counted wherever they landed. When
 * Redis does not answer, this instance decides alone (a notice too many rather than none).
 */
export function redisNoticeState(client: Redis, prefix: string): NoticeState {
  const local = localNoticeState();
  const key = (kind: string, k: string) => `${prefix}ops:${kind}:${k}`;
  return {
    async admit(k, now, quietMs) {
      try {
        const held = Number(await client.eval(ADMIT, 2, key('quiet', k), key('held', k), Math.max(1, quietMs), HELD_TTL_MS));
        return held < 0 ? undefined : { suppressed: held };
      } catch {
        return local.admit(k, now, quietMs);
      }
    },
    async countFailure(k, now, burst) {
      try {
        const n = Number(await client.eval(COUNT_FAILURE, 1, key('failures', k), Math.max(1, burst.windowMs), burst.count, randomUUID()));
        return n < 0 ? undefined : n;
      } catch {
        return local.countFailure(k, now, burst);
      }
    },
  };
}
