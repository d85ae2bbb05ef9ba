/** A stored row as the batch read returns it; expiry is judged per caller. */
export interface ReadRow {
  readonly value: string;
  readonly expires: number | null;
}

/** Reads the rows of `keys` (absent keys are simply missing from the answer). */
export type BatchReader = (keys: readonly string[]) => Promise<ReadonlyMap<string, ReadRow>>;

interface Waiter {
  readonly resolve: (row: ReadRow | undefined) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Reads by key, gathered: a read made while no batch is in flight goes out at once (after a
 * microtask, so reads of the same tick travel together; no timer), and reads made while one is in
 * flight go out together as the next batch. A delivery makes a dozen reads by key; with many
 * deliveries in flight, one statement per batch replaces a queue of single reads that node-sqlite3
 * would run one round trip at a time. Every read starts after it was asked for, so it sees every
 * write that completed before it was asked for.
 */
export class ReadBatch {
  private waiting = new Map<string, Waiter[]>();
  private scheduled = false;
  private inFlight = false;

  constructor(
    private readonly read: BatchReader,
    private readonly maxKeys: number,
  ) {}

  get(key: string): Promise<ReadRow | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.waiting.size === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.waiting.size === 0) return;
    const batch = new Map<string, Waiter[]>();
    for (const [key, list] of this.waiting) {
      if (batch.size >= this.maxKeys) break;
      batch.set(key, list);
    }
    for (const key of batch.keys()) this.waiting.delete(key);
    this.inFlight = true;
    try {
      const rows = await this.read([...batch.keys()]);
      for (const [key, list] of batch) for (const w of list) w.resolve(rows.get(key));
    } catch (err) {
      for (const list of batch.values()) for (const w of list) w.reject(err);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
}
