import { createKeyv } from '@keyv/redis';
import type { RedisOptions } from 'ioredis';
import { BullmqQueue } from './bullmq-queue.js';
import { BackendEventLog } from './event-log.js';
import { KeyvMessageRefs } from './message-refs.js';
import { KeyvMuteStore } from './mutes.js';
import type { OpenStoreOptions, Store } from './open-store.js';
import { redisKeyLock } from './redis-lock.js';
import { RedisBackend } from './redis-backend.js';
import { RedisOutbox } from './redis-outbox.js';

export interface RedisStoreOptions {
  /** Prefix of every key (default `hookbridge:`; the URL's `?prefix=` also sets it). */
  readonly prefix?: string;
  /** How often each instance relays outbox rows left behind by a crash (default 5 s). */
  readonly relayEveryMs?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly maxStalledCount?: number;
  readonly keepCompletedMs?: number;
}

/** `redis://[user:pass@]host:port/db[?prefix=p]` (or `rediss://` for TLS) → ioredis options. */
export function redisConnection(url: string): { connection: RedisOptions; location: string; prefix?: string } {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1) || '0');
  if (!Number.isInteger(db) || db < 0) throw new Error(`invalid redis database in store url: ${u.pathname}`);
  const connection: RedisOptions = {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    db,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
  };
  const prefix = u.searchParams.get('prefix') ?? undefined;
  return { connection, location: `${u.protocol}//${connection.host}:${connection.port}/${db}`, ...(prefix && { prefix }) };
}

/** The shared store for several instances: every piece of state lives in one Redis. */
export async function openRedisStore<J>(url: string, o: OpenStoreOptions & { redis?: RedisStoreOptions } = {}): Promise<Store<J>> {
  const now = o.now ?? Date.now;
  const r = o.redis ?? {};
  const { connection, location, prefix: urlPrefix } = redisConnection(url);
  const prefix = r.prefix ?? urlPrefix ?? 'hookbridge:';
  const backend = await RedisBackend.open(connection, { prefix });
  const queue = await BullmqQueue.open<J>({
    connection,
    prefix: `${prefix}bull`,
    ...(r.lockDurationMs !== undefined && { lockDurationMs: r.lockDurationMs }),
    ...(r.stalledIntervalMs !== undefined && { stalledIntervalMs: r.stalledIntervalMs }),
    ...(r.maxStalledCount !== undefined && { maxStalledCount: r.maxStalledCount }),
    ...(r.keepCompletedMs !== undefined && { keepCompletedMs: r.keepCompletedMs }),
  });
  const kv = createKeyv(
    {
      url: redisUrl(connection),
      disableOfflineQueue: true,
      socket: { connectTimeout: 1_000, reconnectStrategy: (n: number) => Math.min(n * 100, 1_000), ...(connection.tls && { tls: true }) },
    },
    { namespace: `${prefix}kv`, throwOnErrors: true, connectionTimeout: 2_000 },
  );
  kv.on('error', () => undefined);
  const outbox = new RedisOutbox<J>(backend, queue, now);
  outbox.start(r.relayEveryMs ?? 5_000);
  const sweeper = setInterval(() => void backend.sweep(now()).catch(() => undefined), o.sweepEveryMs ?? 60_000);
  sweeper.unref();
  return {
    kind: 'redis',
    location,
    recorder: outbox,
    events: new BackendEventLog(backend, now),
    refs: new KeyvMessageRefs(kv, o.refTtlMs ?? 30 * 86_400_000),
    mutes: new KeyvMuteStore(kv, now),
    kv,
    queue,
    lock: redisKeyLock(backend.client, { prefix }),
    sharedClient: backend.client,
    ping: () => backend.ping(),
    close: async () => {
      clearInterval(sweeper);
      outbox.stop();
      await queue.close();
      await backend.close();
      await kv.disconnect().catch(() => undefined);
    },
  };
}

function redisUrl(c: RedisOptions): string {
  const auth = c.password ? `${encodeURIComponent(c.username ?? '')}:${encodeURIComponent(c.password)}@` : '';
  return `${c.tls ? 'rediss' : 'redis'}://${auth}${c.host}:${c.port}/${c.db ?? 0}`;
}
