import type { Backend, Row } from './backend.js';
import { JobHeap } from './job-heap.js';
import type { Consumer, DeadLetter, Outcome, Queue, QueuedJob } from './queue.js';

export const JOB_PREFIX = 'job:';
export const DEAD_PREFIX = 'dead:';

export interface JobRecord<J> {
  id: string;
  data: J;
  attempt: number;
  due: number;
  createdAt: number;
  lastError?: string;
}

/** A new job: its journal row, and the record the queue schedules once the row is written. */
export interface JournalJob<J> {
  readonly row: Row;
  readonly record: JobRecord<J>;
}

export function journalJob<J>(id: string, data: J, now: number, delayMs = 0): JournalJob<J> {
  const record: JobRecord<J> = { id, data, attempt: 1, due: now + delayMs, createdAt: now };
  return { row: { key: JOB_PREFIX + id, value: JSON.stringify(record) }, record };
}

/**
 * The single-process queue: every job is a row in the backend (the journal), scheduled in memory.
 * A restart reloads the journal, so a job whose handler was interrupted runs again; the send stage's
 * message-reference check keeps that from posting twice.
 */
export class EmbeddedQueue<J> implements Queue<J> {
  private readonly jobs = new Map<string, JobRecord<J>>();
  private readonly heap = new JobHeap();
  private readonly active = new Set<string>();
  /** Resolves when a running job's outcome has been written, so a redrive never races it. */
  private readonly settled = new Map<string, Promise<void>>();
  private handler?: (job: QueuedJob<J>) => Promise<Outcome>;
  private concurrency = 1;
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private idle?: () => void;

  private constructor(
    private readonly backend: Backend,
    private readonly now: () => number,
  ) {}

  static async open<J>(backend: Backend, now: () => number = Date.now): Promise<EmbeddedQueue<J>> {
    const q = new EmbeddedQueue<J>(backend, now);
    for (const row of await backend.scan(JOB_PREFIX, now())) q.schedule(JSON.parse(row.value) as JobRecord<J>);
    return q;
  }

  /** Schedule jobs whose rows were already written durably by someone else (the ingest recorder). */
  adopt(jobs: readonly JournalJob<J>[]): void {
    for (const j of jobs) this.schedule(j.record);
    this.pump();
  }

  async enqueue(jobs: readonly { id: string; data: J; delayMs?: number }[]): Promise<void> {
    const journal = jobs.map((j) => journalJob(j.id, j.data, this.now(), j.delayMs));
    await this.backend.put(journal.map((j) => j.row));
    this.adopt(journal);
  }

  consume(handle: (job: QueuedJob<J>) => Promise<Outcome>, o: { concurrency: number }): Consumer {
    this.handler = handle;
    this.concurrency = o.concurrency;
    this.stopping = false;
    this.pump();
    return { close: (timeoutMs) => this.stop(timeoutMs) };
  }

  async depth() {
    const now = this.now();
    let waiting = 0;
    let delayed = 0;
    let oldest: number | undefined;
    for (const j of this.jobs.values()) {
      if (this.active.has(j.id)) continue;
      if (j.due <= now) waiting++;
      else delayed++;
      oldest = oldest === undefined ? j.createdAt : Math.min(oldest, j.createdAt);
    }
    const dead = (await this.backend.scan(DEAD_PREFIX, now)).length;
    return { waiting, delayed, active: this.active.size, dead, oldestAgeMs: oldest === undefined ? undefined : now - oldest };
  }

  async deadLetters(limit: number): Promise<DeadLetter<J>[]> {
    const rows = await this.backend.scan(DEAD_PREFIX, this.now(), limit);
    return rows.map((r) => JSON.parse(r.value) as DeadLetter<J>);
  }

  async redrive(id: string): Promise<boolean> {
    await this.settled.get(id);
    const raw = await this.backend.get(DEAD_PREFIX + id, this.now());
    if (!raw) return false;
    const dead = JSON.parse(raw) as DeadLetter<J>;
    const job = journalJob(id, dead.data, this.now());
    await this.backend.put([job.row]);
    await this.backend.delete([DEAD_PREFIX + id]);
    this.adopt([job]);
    return true;
  }

  async close(): Promise<void> {
    await this.stop(0);
  }

  private schedule(rec: JobRecord<J>): void {
    const known = this.jobs.get(rec.id);
    if (known && this.active.has(rec.id)) return;
    this.jobs.set(rec.id, rec);
    this.heap.push(rec.id, rec.due);
  }

  private pump(): void {
    if (!this.handler || this.stopping) return;
    const now = this.now();
    while (this.active.size < this.concurrency) {
      const top = this.heap.peek();
      if (!top) break;
      const rec = this.jobs.get(top.id);
      // Stale heap entries (rescheduled or finished jobs) are dropped lazily.
      if (!rec || rec.due !== top.due || this.active.has(top.id)) {
        this.heap.pop();
        continue;
      }
      if (rec.due > now) break;
      this.heap.pop();
      void this.run(rec);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const top = this.heap.peek();
    if (!top || this.stopping || this.active.size >= this.concurrency) return;
    this.timer = setTimeout(() => this.pump(), Math.max(0, Math.min(top.due - this.now(), 2 ** 31 - 1)));
    this.timer.unref();
  }

  private async run(rec: JobRecord<J>): Promise<void> {
    this.active.add(rec.id);
    let done!: () => void;
    this.settled.set(rec.id, new Promise<void>((r) => (done = r)));
    let outcome: Outcome;
    try {
      outcome = await this.handler!({ id: rec.id, data: rec.data, attempt: rec.attempt, queuedAt: rec.createdAt, lastError: rec.lastError });
    } catch (err) {
      outcome = { kind: 'retry', afterMs: 1_000, reason: err instanceof Error ? err.message : String(err) };
    }
    try {
      await this.settle(rec, outcome);
    } catch {
      // The journal could not be updated: keep the job in memory and try it again shortly.
      rec.due = this.now() + 1_000;
      this.heap.push(rec.id, rec.due);
    } finally {
      this.active.delete(rec.id);
      this.settled.delete(rec.id);
      done();
      if (this.stopping && this.active.size === 0) this.idle?.();
      this.pump();
    }
  }

  private async settle(rec: JobRecord<J>, outcome: Outcome): Promise<void> {
    const now = this.now();
    if (outcome.kind === 'done') {
      await this.backend.delete([JOB_PREFIX + rec.id]);
      this.jobs.delete(rec.id);
    } else if (outcome.kind === 'retry') {
      const next: JobRecord<J> = { ...rec, attempt: outcome.free ? rec.attempt : rec.attempt + 1, due: now + outcome.afterMs, lastError: outcome.reason };
      await this.backend.put([{ key: JOB_PREFIX + rec.id, value: JSON.stringify(next) }]);
      this.jobs.set(rec.id, next);
      this.heap.push(rec.id, next.due);
    } else {
      const dead: DeadLetter<J> = { id: rec.id, data: rec.data, attempt: rec.attempt, lastError: outcome.reason, failedAt: new Date(now).toISOString() };
      await this.backend.put([{ key: DEAD_PREFIX + rec.id, value: JSON.stringify(dead) }]);
      await this.backend.delete([JOB_PREFIX + rec.id]);
      this.jobs.delete(rec.id);
    }
  }

  private stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.active.size === 0) return Promise.resolve();
    // Jobs still running at the deadline stay in the journal and run again after a restart.
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.idle = () => (clearTimeout(t), resolve());
    });
  }
}
