import type { MessageRef } from '../chat/target.js';

/** An accepted event as kept in the event log (for delivery, replay and chat-ops). */
export interface StoredEvent {
  readonly source: string;
  /** Provider event id (or body hash); unique per source. */
  readonly id: string;
  readonly type: string;
  /** ISO time we accepted it. */
  readonly receivedAt: string;
  readonly correlationKey?: string;
  readonly version?: string;
  /** Headers worth keeping (never credentials), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: unknown;
}

export interface EventRef {
  readonly source: string;
  readonly id: string;
}

export interface DedupeStore {
  /** Atomic set-if-absent: 'new' exactly once per (source, id) within the TTL. */
  claim(source: string, id: string, ttlMs: number): Promise<'new' | 'duplicate'>;
  /** Undo a claim when recording failed, so the provider's retry is not taken for a duplicate. */
  release(source: string, id: string): Promise<void>;
}

export interface EventLog {
  get(ref: EventRef): Promise<StoredEvent | undefined>;
  /** Newest first, at most `limit`, received at or after `from`. */
  recent(source: string, o: { from?: Date; limit: number }): Promise<StoredEvent[]>;
}

/**
 * Where the message for a correlation key was posted, per target, so later events of the same
 * lifecycle (and Ack/Mute from chat) update it in place. `key` is the event's correlation key,
 * else `<source>/<event id>`.
 */
export interface MessageRefs {
  get(key: string, target: string): Promise<MessageRef | undefined>;
  put(key: string, target: string, ref: MessageRef): Promise<void>;
  /** Every copy of the message for this key, in every target (used by Ack to update them all). */
  all(key: string): Promise<{ target: string; ref: MessageRef }[]>;
}

export interface Mute {
  readonly source: string;
  readonly until: string;
  readonly by: string;
  readonly reason?: string;
}

export interface MuteStore {
  get(source: string): Promise<Mute | undefined>;
  set(m: Mute): Promise<void>;
  clear(source: string): Promise<boolean>;
  list(): Promise<Mute[]>;
}

/** Runs work for one key at a time: in-process for the embedded store, across instances on Redis. */
export interface KeyLockService {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}
