import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createPacer, type PaceLimit, type Pacer } from '../delivery/pace.js';

// Reserves the next free send slot of a channel in one step, on Redis's clock so that instances
// with skewed clocks still share one timeline. The sorted set holds the reserved slot times (some
// in the future); the window admits `count` of them per `per` ms, like the in-process pacer.
// Answers how many ms the caller waits for its slot.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n >= count then
  local slot = redis.call('ZRANGE', KEYS[1], n - count, n - count, 'WITHSCORES')
  at = math.max(now, tonumber(slot[2]) + per)
end
redis.call('ZADD', KEYS[1], at, ARGV[3])
redis.call('PEXPIRE', KEYS[1], at - now + per)
return at - now
`;

/**
 * Per-channel pacing shared by every instance on one Redis: Slack's and Discord's per-channel
 * limits count the bot's sends, not one instance's, so three instances pacing alone would send three
 * times the rate and meet 429s. When Redis cannot answer, the send is paced in this process alone
 * rather than held up (delivery itself then retries on its own terms).
 */
export function redisPacer(client: Redis, prefix: string): Pacer {
  const local = createPacer();
  return {
    async wait(key: string, limit: PaceLimit | undefined): Promise<number> {
      if (!limit) return 0;
      let delay: number;
      try {
        delay = Number(await client.eval(RESERVE, 1, `${prefix}pace:${key}`, limit.count, limit.perMs, randomUUID()));
      } catch {
        return local.wait(key, limit);
      }
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return delay;
    },
  };
}
