import type { Backend, Row } from './backend.js';
import { eventRow } from './event-log.js';
import type { Queue } from './queue.js';
import { DEDUPE_PREFIX, type Recorder, type RecordOptions } from './recorder.js';
import type { StoredEvent } from './types.js';

export const OUTBOX_PREFIX = 'outbox/';

interface OutboxEntry<J> {
  id: string;
  data: J;
}

/**
 * Recorder for Redis mode, built as a transactional outbox.
 *
 * Why an outbox: the dedupe guard, the event and the jobs must become durable together, and
 * BullMQ's own add is a separate script on keys we do not control, so it cannot join the guard's
 * atomic write. Adding to BullMQ first (with a delay) would leave a job for an event that then
 * turns out to be a duplicate, or one whose record failed. So the guard's single Lua write also
 * stores each job as an outbox row, and a relay copies outbox rows into BullMQ under their
 * deterministic ids before deleting them. The relay runs right after each record, once at start
 * and periodically on every instance, so jobs of an instance that died after the write are
 * delivered by whichever instance relays next. Relaying twice is harmless: BullMQ ignores an id it
 * already holds, and completed ids are kept for a while (see `keepCompletedMs`).
 */
export class RedisOutbox<J> implements Recorder<J> {
  private timer?: NodeJS.Timeout;
  private relaying?: Promise<number>;

  constructor(
    private readonly backend: Backend,
    private readonly queue: Pick<Queue<J>, 'enqueue'>,
    private readonly now: () => number = Date.now,
  ) {}

  async record(event: StoredEvent, jobs: readonly { id: string; data: J }[], o: RecordOptions): Promise<'new' | 'duplicate'> {
    const now = this.now();
    const guard: Row = { key: `${DEDUPE_PREFIX}${event.source}/${event.id}`, value: String(now), expires: now + o.dedupeTtlMs };
    const outbox = jobs.map((j): Row => ({ key: OUTBOX_PREFIX + j.id, value: JSON.stringify({ id: j.id, data: j.data } satisfies OutboxEntry<J>) }));
    const fresh = await this.backend.putIfAbsent(guard, [eventRow(event, o.retentionMs, now, o.payloadJson), ...outbox], now);
    if (!fresh) return 'duplicate';
    // The event is already durable: a relay that fails or stalls here is redone by the periodic relay,
    // so the answer to the provider never waits on it for long.
    if (outbox.length > 0) await settledWithin(this.move(outbox), 2_000);
    return 'new';
  }

  /** Moves every pending outbox row into the queue; answers how many were moved. */
  relay(): Promise<number> {
    this.relaying ??= (async () => {
      let moved = 0;
      for (;;) {
        const rows = await this.backend.scan(OUTBOX_PREFIX, this.now(), 200);
        if (rows.length === 0) return moved;
        await this.move(rows);
        moved += rows.length;
      }
    })().finally(() => (this.relaying = undefined));
    return this.relaying;
  }

  start(everyMs: number): void {
    void this.relay().catch(() => undefined);
    this.timer = setInterval(() => void this.relay().catch(() => undefined), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async move(rows: readonly Row[]): Promise<void> {
    await this.queue.enqueue(rows.map((r) => JSON.parse(r.value) as OutboxEntry<J>));
    await this.backend.delete(rows.map((r) => r.key));
  }
}

/** Waits for `p` at most `ms`, ignoring its failure: for steps that must not hold up an answer or a shutdown. */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((r) => (t = setTimeout(r, ms)))]);
  clearTimeout(t);
}
