import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import type { Backend, Row } from './backend.js';

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const TABLE = 'hookbridge_rows';

/**
 * The embedded, durable backend. It shares one SQLite connection (opened through Keyv's SQLite
 * adapter) with the Keyv state stores. Every multi-row write is a single SQL statement, so it is
 * atomic without a transaction that other requests could interleave with.
 */
export class SqliteBackend implements Backend {
  private constructor(
    private readonly query: Query,
    readonly adapter: KeyvSqlite,
  ) {}

  static async open(path: string): Promise<SqliteBackend> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 });
    const query = adapter.query as Query;
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode survives process
    // crashes (SIGKILL) without an fsync per commit. A power loss can drop the last commits.
    await query('PRAGMA journal_mode = WAL');
    await query('PRAGMA synchronous = NORMAL');
    await query(`CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID`);
    return new SqliteBackend(query, adapter);
  }

  async putIfAbsent(guard: Row, rows: readonly Row[], now: number): Promise<boolean> {
    const all = [guard, ...rows];
    const values = all.map(() => '(?, ?, ?)').join(', ');
    // One statement: the NOT EXISTS guard and every row commit together or not at all.
    const sql =
      `INSERT INTO ${TABLE} (key, value, expires) SELECT column1, column2, column3 FROM (VALUES ${values}) ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE key = ? AND (expires IS NULL OR expires > ?)) ` +
      `ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires RETURNING key`;
    const params = all.flatMap((r) => [r.key, r.value, r.expires ?? null]);
    const out = await this.query(sql, ...params, guard.key, now);
    return out.length > 0;
  }

  async get(key: string, now: number): Promise<string | undefined> {
    const rows = await this.query(`SELECT value FROM ${TABLE} WHERE key = ? AND (expires IS NULL OR expires > ?)`, key, now);
    return rows[0]?.value as string | undefined;
  }

  async put(rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map(() => '(?, ?, ?)').join(', ');
    await this.query(
      `INSERT INTO ${TABLE} (key, value, expires) VALUES ${values} ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
      ...rows.flatMap((r) => [r.key, r.value, r.expires ?? null]),
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.query(`DELETE FROM ${TABLE} WHERE key IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
  }

  async scan(prefix: string, now: number, limit = -1): Promise<Row[]> {
    // Range scan on the primary key instead of LIKE, so `_` and `%` in ids need no escaping.
    const rows = await this.query(
      `SELECT key, value, expires FROM ${TABLE} WHERE key >= ? AND key < ? AND (expires IS NULL OR expires > ?) ORDER BY key LIMIT ?`,
      prefix,
      `${prefix}\uffff`,
      now,
      limit,
    );
    return rows.map((r) => ({ key: r.key as string, value: r.value as string, expires: (r.expires as number | null) ?? undefined }));
  }

  async sweep(now: number): Promise<number> {
    const rows = await this.query(`DELETE FROM ${TABLE} WHERE expires IS NOT NULL AND expires <= ? RETURNING key`, now);
    return rows.length;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.adapter.disconnect();
  }
}
