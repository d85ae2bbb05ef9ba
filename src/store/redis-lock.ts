import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyLockService } from './types.js';

// Deletes the lock only if we still own it, so a lock that expired and was taken by another
// instance is never released by us.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
// Extends the lock only while we still own it: 1 when extended, 0 when it lapsed or changed hands.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLockOptions {
  readonly prefix: string;
  /** How long a holder may keep the lock before it lapses (a crashed holder frees it then). */
  readonly ttlMs?: number;
  /** How long to wait for the lock before giving up (the job is retried later). */
  readonly waitMs?: number;
  /** Told when a held lock could not be renewed and may have passed to another instance. */
  readonly onLost?: (key: string) => void;
}

/**
 * Per-key mutual exclusion across instances (SET NX PX + owner-checked release). Delivery holds it
 * per correlation key, so two instances never both find "no message yet" for one lifecycle and
 * both post; within one process, calls for a key also queue locally so they don't spin on Redis.
 * A holder renews its lock every third of the TTL for as long as its work runs, so a slow send
 * (long chat retries, pacing) keeps the lock; only a holder that stops renewing (crashed, or cut
 * off from Redis) lets it lapse after the TTL.
 */
export function redisKeyLock(client: Redis, o: RedisLockOptions): KeyLockService {
  const ttl = o.ttlMs ?? 30_000;
  const waitMs = o.waitMs ?? 20_000;
  const local = new Map<string, Promise<unknown>>();

  async function acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      if ((await client.set(key, token, 'PX', ttl, 'NX')) === 'OK') return;
      if (Date.now() > deadline) throw new Error(`lock ${key} is busy`);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }

  async function runLocked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const full = `${o.prefix}lock:${key}`;
    const token = randomUUID();
    await acquire(full, token);
    let lost = false;
    const renew = setInterval(() => {
      client.eval(RENEW, 1, full, token, ttl).then(
        (extended) => {
          if (extended === 0 && !lost) (lost = true), o.onLost?.(key);
        },
        // A failed renewal is retried at the next tick; the TTL covers two more of them.
        () => undefined,
      );
    }, Math.max(Math.floor(ttl / 3), 10));
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await client.eval(RELEASE, 1, full, token).catch(() => undefined);
    }
  }

  return {
    async run(key, work) {
      const before = local.get(key) ?? Promise.resolve();
      const mine = before.then(
        () => runLocked(key, work),
        () => runLocked(key, work),
      );
      const tail = mine.catch(() => undefined);
      local.set(key, tail);
      try {
        return await mine;
      } finally {
        if (local.get(key) === tail) local.delete(key);
      }
    },
  };
}
