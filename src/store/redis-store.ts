import { createKeyv } from '@keyv/redis';
import type { RedisOptions } from 'ioredis';
import { BullmqQueue } from './bullmq-queue.js';
import { BackendEventLog } from './event-log.js';
import { KeyvMessageRefs } from './message-refs.js';
import { KeyvMuteStore } from './mutes.js';
import type { OpenStoreOptions, Store } from './open-store.js';
import { redisKeyLock } from './redis-lock.js';
import { redisNoticeState } from './redis-notice-state.js';
import { redisPacer } from './redis-pacer.js';
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
  /** How long a per-key delivery lock lives when its holder dies without releasing it (default 30 s). */
  readonly keyLockTtlMs?: number;
}

/** Lock timings a store URL may carry (`?lockMs=&stalledMs=&keyLockMs=`). */
export interface RedisUrlTimings {
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly keyLockTtlMs?: number;
}

/**
 * `redis://[user:pass@]host:port/db[?prefix=p&lockMs=n&stalledMs=n&keyLockMs=n]` (or `rediss://` for TLS) → ioredis options.
 * `lockMs` and `stalledMs` (job lock and stalled-job check) and `keyLockMs` (per-lifecycle delivery
 * lock) decide how soon a killed instance's work is taken over; each defaults to 30 s. The config
 * has no field for them because the defaults suit production, but tests and deployments that want
 * a faster takeover can set them in the URL. Live holders renew both kinds of lock while they work,
 * so the values only bound how long a dead instance holds things up.
 */
export function redisConnection(url: string): { connection: RedisOptions; location: string; prefix?: string; timings?: RedisUrlTimings } {
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
  const lockDurationMs = positiveMs(u, 'lockMs');
  const stalledIntervalMs = positiveMs(u, 'stalledMs');
  const keyLockTtlMs = positiveMs(u, 'keyLockMs');
  const timings: RedisUrlTimings = {
    ...(lockDurationMs !== undefined && { lockDurationMs }),
    ...(stalledIntervalMs !== undefined && { stalledIntervalMs }),
    ...(keyLockTtlMs !== undefined && { keyLockTtlMs }),
  };
  return {
    connection,
    location: `${u.protocol}//${connection.host}:${connection.port}/${db}`,
    ...(prefix && { prefix }),
    ...(Object.keys(timings).length > 0 && { timings }),
  };
}

function positiveMs(u: URL, name: string): number | undefined {
  const raw = u.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`invalid ${name} in store url: ${raw} (a whole number of milliseconds)`);
  return n;
}

/** The shared store for several instances: every piece of state lives in one Redis. */
export async function openRedisStore<J>(url: string, o: OpenStoreOptions & { redis?: RedisStoreOptions } = {}): Promise<Store<J>> {
  const now = o.now ?? Date.now;
  const { connection, location, prefix: urlPrefix, timings } = redisConnection(url);
  // Options given in code win over the URL's.
  const r: RedisStoreOptions = { ...timings, ...o.redis };
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
    lock: redisKeyLock(backend.client, {
      prefix,
      ...(r.keyLockTtlMs !== undefined && { ttlMs: r.keyLockTtlMs }),
      ...(o.onLockLost && { onLost: o.onLockLost }),
    }),
    pacer: redisPacer(backend.client, prefix),
    noticeState: redisNoticeState(backend.client, prefix),
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
