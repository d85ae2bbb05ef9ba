import type { Backend, Row } from './backend.js';
import { journalJob, type JournalJob } from './embedded-queue.js';
import { eventRow } from './event-log.js';
import type { StoredEvent } from './types.js';

export const DEDUPE_PREFIX = 'dd:';

export interface RecordOptions {
  readonly dedupeTtlMs: number;
  readonly retentionMs: number;
  /** The payload's JSON text as received, when it is JSON (saves serialising it again). */
  readonly payloadJson?: string;
}

/** Records an accepted event, its dedupe key and its delivery jobs as one atomic write. */
export interface Recorder<J> {
  record(event: StoredEvent, jobs: readonly { id: string; data: J }[], o: RecordOptions): Promise<'new' | 'duplicate'>;
}

/** Recorder for backends whose queue journal lives in the same backend (memory, SQLite). */
export class JournalRecorder<J> implements Recorder<J> {
  constructor(
    private readonly backend: Backend,
    private readonly onRecorded: (jobs: readonly JournalJob<J>[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async record(event: StoredEvent, jobs: readonly { id: string; data: J }[], o: RecordOptions): Promise<'new' | 'duplicate'> {
    const now = this.now();
    const guard: Row = { key: `${DEDUPE_PREFIX}${event.source}/${event.id}`, value: String(now), expires: now + o.dedupeTtlMs };
    const journal = jobs.map((j) => journalJob(j.id, j.data, now));
    const fresh = await this.backend.putIfAbsent(guard, [eventRow(event, o.retentionMs, now, o.payloadJson), ...journal.map((j) => j.row)], now);
    if (!fresh) return 'duplicate';
    this.onRecorded(journal);
    return 'new';
  }
}
