/**
 * For suites that talk to Redis directly: a real server for the suite, and clients that are
 * disconnected after each test. Call inside a `describe` (it registers the hooks there).
 *
 *   const r = useRedisClients();
 *   const c = r.client();   // an ioredis client on it
 *   r.url                   // redis://127.0.0.1:PORT/0
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedis, type RedisServer } from './redis-server.js';

export function useRedisClients(): { readonly url: string; client(): Redis } {
  let redis: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return {
    get url() {
      return redis!.url;
    },
    client() {
      // One retry at most: a test that cuts a client off wants the failure now, not a reconnect loop.
      const c = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
  };
}
