import type { Backend, Row } from './backend.js';

interface Entry {
  value: string;
  expires?: number;
}

const live = (e: Entry | undefined, now: number): e is Entry => e !== undefined && (e.expires === undefined || e.expires > now);

/** Process-local backend for `memory://` (tests, demos). Each method completes without awaiting, so it is atomic. */
export class MemoryBackend implements Backend {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  async putIfAbsent(guard: Row, rows: readonly Row[], now: number): Promise<boolean> {
    this.assertOpen();
    if (live(this.entries.get(guard.key), now)) return false;
    for (const r of [guard, ...rows]) this.entries.set(r.key, { value: r.value, expires: r.expires });
    return true;
  }

  async get(key: string, now: number): Promise<string | undefined> {
    this.assertOpen();
    const e = this.entries.get(key);
    return live(e, now) ? e.value : undefined;
  }

  async put(rows: readonly Row[]): Promise<void> {
    this.assertOpen();
    for (const r of rows) this.entries.set(r.key, { value: r.value, expires: r.expires });
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.assertOpen();
    for (const k of keys) this.entries.delete(k);
  }

  async scan(prefix: string, now: number, limit = Number.MAX_SAFE_INTEGER): Promise<Row[]> {
    this.assertOpen();
    const out: Row[] = [];
    for (const [key, e] of this.entries) {
      if (key.startsWith(prefix) && live(e, now)) out.push({ key, value: e.value, expires: e.expires });
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.slice(0, limit);
  }

  async sweep(now: number): Promise<number> {
    let n = 0;
    for (const [key, e] of this.entries) if (!live(e, now)) (this.entries.delete(key), n++);
    return n;
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
