import Keyv from 'keyv';
import type { NoticeState } from '../delivery/ops-alerts.js';
import type { Pacer } from '../delivery/pace.js';
import type { Backend } from './backend.js';
import { BackendKeyvStore, KEYV_NAMESPACE } from './backend-keyv.js';
import { EmbeddedQueue } from './embedded-queue.js';
import { BackendEventLog } from './event-log.js';
import { MemoryBackend } from './memory-backend.js';
import { BackendMessageRefs, KeyvMessageRefs } from './message-refs.js';
import { KeyvMuteStore } from './mutes.js';
import type { Queue } from './queue.js';
import { JournalRecorder, type Recorder } from './recorder.js';
import { openRedisStore, type RedisStoreOptions } from './redis-store.js';
import { SqliteBackend } from './sqlite-backend.js';
import type { EventLog, KeyLockService, MessageRefs, MuteStore } from './types.js';

export interface Store<J> {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  /** Where it lives, safe to print (no credentials). */
  readonly location: string;
  readonly recorder: Recorder<J>;
  readonly events: EventLog;
  readonly refs: MessageRefs;
  readonly mutes: MuteStore;
  /** Generic key-value state for the smaller typed stores (acks, audit, stats). */
  readonly kv: Keyv;
  readonly queue: Queue<J>;
  /** Per-key exclusion shared by every instance using this store (absent: in-process is enough). */
  readonly lock?: KeyLockService;
  /** Per-channel send pacing shared by every instance using this store (absent: each process paces alone). */
  readonly pacer?: Pacer;
  /** Ops-notice quiet windows and failure bursts shared by every instance (absent: per process). */
  readonly noticeState?: NoticeState;
  /** The Redis client, for rate limits shared across instances (absent outside Redis mode). */
  readonly sharedClient?: unknown;
  /** Throws when the store cannot take writes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  readonly now?: () => number;
  /** How long message references are kept (lifecycle updates and chat-ops on old messages). */
  readonly refTtlMs?: number;
  /** How often expired rows are swept. */
  readonly sweepEveryMs?: number;
  /** Redis mode only: key prefix, relay period and the worker lock timings. */
  readonly redis?: RedisStoreOptions;
  /** Redis mode only: told when a held lifecycle lock could not be renewed (another instance may take it). */
  readonly onLockLost?: (key: string) => void;
}

/**
 * `memory://`, `sqlite://PATH` (relative paths are taken as given; config resolves them) or
 * `redis://[user:pass@]HOST:PORT/DB` (`rediss://` for TLS) for several instances sharing one store.
 */
export async function openStore<J>(url: string, o: OpenStoreOptions = {}): Promise<Store<J>> {
  const now = o.now ?? Date.now;
  if (url.startsWith('memory://')) {
    return assemble<J>('memory', 'memory', new MemoryBackend(), new Keyv({ namespace: KEYV_NAMESPACE }), now, o);
  }
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    const backend = await SqliteBackend.open(path);
    return assemble<J>('sqlite', path, backend, new Keyv({ store: new BackendKeyvStore(backend, now), namespace: KEYV_NAMESPACE }), now, o);
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return openRedisStore<J>(url, o);
  throw new Error(`unsupported store url scheme: ${url.split(':')[0]}: (use memory://, sqlite://PATH or redis://HOST:PORT)`);
}

async function assemble<J>(
  kind: 'memory' | 'sqlite',
  location: string,
  backend: Backend,
  kv: Keyv,
  now: () => number,
  o: OpenStoreOptions,
): Promise<Store<J>> {
  const queue = await EmbeddedQueue.open<J>(backend, now);
  const refTtlMs = o.refTtlMs ?? 30 * 86_400_000;
  const sweeper = setInterval(() => void backend.sweep(now()).catch(() => undefined), o.sweepEveryMs ?? 60_000);
  sweeper.unref();
  return {
    kind,
    location,
    recorder: new JournalRecorder<J>(backend, (jobs) => queue.adopt(jobs), now),
    events: new BackendEventLog(backend, now),
    // References are written as often as events are: in SQLite they are rows of their own, read
    // and written by prepared statements, rather than Keyv entries.
    refs: kind === 'sqlite' ? new BackendMessageRefs(backend, refTtlMs, now) : new KeyvMessageRefs(kv, refTtlMs),
    mutes: new KeyvMuteStore(kv, now),
    kv,
    queue,
    ping: () => backend.ping(),
    close: async () => {
      clearInterval(sweeper);
      await queue.close();
      await backend.close();
    },
  };
}
