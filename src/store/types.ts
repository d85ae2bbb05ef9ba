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
