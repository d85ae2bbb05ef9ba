import type { Row } from './backend.js';

/** One `putIfAbsent` call: write `guard` and `rows` when `guard` is absent or expired at `now`. */
export interface PutCall {
  readonly guard: Row;
  readonly rows: readonly Row[];
  readonly now: number;
}

/**
 * Writes a batch of calls in one atomic step (all of it or none of it) and answers the guard keys
 * it wrote. The calls of a batch never share a key: each call's guard and rows are distinct from
 * every other call's, so the writer may judge every guard against the stored rows alone.
 */
export type BatchWriter = (calls: readonly PutCall[]) => Promise<ReadonlySet<string>>;

interface Entry {
  readonly call: PutCall;
  readonly resolve: (fresh: boolean) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit for `putIfAbsent`. A call made while no write is in flight goes out at once (in a
 * microtask, so calls of the same tick travel together; no timer); calls made while a write is in
 * flight wait and go out together as the next batch, so under load many accepted events share one
 * statement and one commit.
 *
 * Every call gets the answer it would get if the calls ran one after another in arrival order:
 * - a call whose guard key is already the guard of an earlier call in the batch (a concurrent
 *   duplicate) writes nothing. It is answered "duplicate" when the earlier call wrote its guard and
 *   that guard is still live at the later call's `now`; otherwise (the earlier call found a live
 *   guard, or its guard expired in between) it goes to the front of the next batch and is judged
 *   against what was stored.
 * - a call whose guard or rows touch a key another call of the batch writes ends the batch: it and
 *   everything after it go in the next one, in order.
 * - when the write fails, every call of the batch is rejected, the duplicates riding on it included;
 *   the writer is atomic, so nothing of the batch is stored.
 */
export class GroupCommit {
  private queue: Entry[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private closing = false;
  private idle: (() => void)[] = [];
  private batchCount = 0;
  private callCount = 0;

  constructor(
    private readonly write: BatchWriter,
    /** Rows (guards included) per batch; a single call with more rows still goes out, alone. */
    private readonly maxRows: number,
  ) {}

  put(call: PutCall): Promise<boolean> {
    if (this.closing) return Promise.reject(new Error('store is closed'));
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.schedule();
    });
  }

  /** Batches written so far and the calls they answered (duplicates included). */
  get stats(): { readonly batches: number; readonly calls: number } {
    return { batches: this.batchCount, calls: this.callCount };
  }

  /** Refuses new calls and resolves once every call already made has been written and answered. */
  close(): Promise<void> {
    this.closing = true;
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private busy(): boolean {
    return this.scheduled || this.inFlight !== undefined || this.queue.length > 0;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight !== undefined || this.queue.length === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight !== undefined || this.queue.length === 0) return this.settleIdle();
    const { batch, riders } = this.take();
    this.batchCount += 1;
    this.callCount += batch.length + riders.length;
    this.inFlight = this.run(batch, riders).finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.flush();
      else this.settleIdle();
    });
  }

  private settleIdle(): void {
    if (this.busy()) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** The next batch: a prefix of the queue. */
  private take(): { batch: Entry[]; riders: { entry: Entry; leader: Entry }[] } {
    const batch: Entry[] = [];
    const riders: { entry: Entry; leader: Entry }[] = [];
    const leaders = new Map<string, Entry>();
    const keys = new Set<string>();
    let rows = 0;
    let taken = 0;
    for (const entry of this.queue) {
      const { guard, rows: own } = entry.call;
      const leader = leaders.get(guard.key);
      if (leader !== undefined) {
        // It may yet be judged new in a later batch: later calls of this batch must not touch its rows.
        riders.push({ entry, leader });
        for (const r of own) keys.add(r.key);
        taken += 1;
        continue;
      }
      if (batch.length > 0 && (rows + 1 + own.length > this.maxRows || keys.has(guard.key) || own.some((r) => keys.has(r.key)))) break;
      batch.push(entry);
      leaders.set(guard.key, entry);
      keys.add(guard.key);
      for (const r of own) keys.add(r.key);
      rows += 1 + own.length;
      taken += 1;
    }
    this.queue.splice(0, taken);
    return { batch, riders };
  }

  private async run(batch: Entry[], riders: { entry: Entry; leader: Entry }[]): Promise<void> {
    let written: ReadonlySet<string>;
    try {
      written = await this.write(batch.map((e) => e.call));
    } catch (err) {
      for (const e of batch) e.reject(err);
      for (const r of riders) r.entry.reject(err);
      return;
    }
    for (const e of batch) e.resolve(written.has(e.call.guard.key));
    const again: Entry[] = [];
    for (const { entry, leader } of riders) {
      const g = leader.call.guard;
      if (written.has(g.key) && (g.expires === undefined || g.expires > entry.call.now)) entry.resolve(false);
      else again.push(entry);
    }
    this.queue.unshift(...again);
  }
}
