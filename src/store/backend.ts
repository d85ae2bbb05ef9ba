/**
 * The few operations the pipeline needs to be atomic or ordered, below the typed stores.
 * Values are strings (JSON); `expires` is epoch milliseconds.
 */
export interface Row {
  readonly key: string;
  readonly value: string;
  readonly expires?: number;
}

export interface Backend {
  /**
   * In one atomic step: when `guard` is absent or expired, write it and every row and answer true;
   * otherwise write nothing and answer false. This is how an accepted event, its dedupe key and its
   * delivery jobs become durable together, or not at all.
   */
  putIfAbsent(guard: Row, rows: readonly Row[], now: number): Promise<boolean>;
  get(key: string, now: number): Promise<string | undefined>;
  put(rows: readonly Row[]): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** Live rows whose key starts with `prefix`, in key order. */
  scan(prefix: string, now: number, limit?: number): Promise<Row[]>;
  /** Drop expired rows. */
  sweep(now: number): Promise<number>;
  /** Throws when the backend cannot take writes (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
