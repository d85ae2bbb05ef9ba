import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import type { Backend, Row } from './backend.js';
import { KEYV_NAMESPACE, KV_PREFIX } from './backend-keyv.js';
import { REF_PREFIX } from './message-refs.js';
import { ReadBatch, type ReadRow } from './read-batch.js';
import { GroupCommit, type PutCall } from './sqlite-batch.js';

type Params = unknown[];

const TABLE = 'hookbridge_rows';

/**
 * The embedded, durable backend: one table for the event log, dedupe keys, the queue journal,
 * message references and the Keyv state stores (through BackendKeyvStore), written by one
 * connection only, so no two writers ever contend for the file's write lock; a second connection
 * only reads. Every multi-row write is a single SQL statement, so it is atomic without a
 * transaction that other requests could interleave with; statements are prepared once per shape.
 * The file belongs to one hookbridge process (several instances share Redis instead).
 *
 * `putIfAbsent` commits in groups (see GroupCommit): while one write is in flight, the calls that
 * arrive meanwhile are written together by one statement, padded to a few fixed sizes so that a
 * handful of prepared statements covers every batch.
 */
export class SqliteBackend implements Backend {
  private readonly statements = new Map<string, Pooled[]>();
  private readonly commits = new GroupCommit((calls) => this.writeBatch(calls), MAX_BATCH_ROWS);
  private readonly reads = new ReadBatch((keys) => this.readBatch(keys), MAX_BATCH_READS);

  private constructor(
    private readonly db: sqlite3.Database,
    /** Reads by key and scans: a WAL reader never waits for the writer's commits and checkpoints. */
    private readonly reader: sqlite3.Database,
  ) {}

  static async open(path: string): Promise<SqliteBackend> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const db = await connect(path);
    const run = (sql: string) => new Promise<void>((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode survives process
    // crashes (SIGKILL) without an fsync per commit. A power loss can drop the last commits.
    await run('PRAGMA journal_mode = WAL');
    await run('PRAGMA synchronous = NORMAL');
    // The commit that fills the write-ahead log past this many pages copies it into the file and
    // every write waits meanwhile: small, frequent checkpoints keep that wait short. At a steady
    // 1,000 webhooks/s, p99 was 42–46 ms at 4,000 pages, 19–22 ms at SQLite's default 1,000 and
    // 7–10 ms at 250, with no loss of throughput (bench/README.md).
    await run(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    // A rowid table: payloads are large, and SQLite stores large rows better outside the key b-tree.
    await run(`CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`);
    await adoptKeyvTable(run, db);
    // Opened once the file is in WAL mode with its table. Every write is awaited before its caller
    // reads, and a reader sees every commit made before its read began.
    return new SqliteBackend(db, path === ':memory:' ? db : await connect(path));
  }

  putIfAbsent(guard: Row, rows: readonly Row[], now: number): Promise<boolean> {
    return this.commits.put({ guard, rows, now });
  }

  /** Group commits so far: batches written and the putIfAbsent calls they answered. */
  get groupCommits(): { readonly batches: number; readonly calls: number } {
    return this.commits.stats;
  }

  /**
   * One statement for the whole batch: every (call, key, value, expires, now) tuple, the guard
   * tuples carrying their call's `now`; a call's rows are written only when its guard is absent or
   * expired. The batch's keys are distinct (GroupCommit sees to it), so the guard keys returned
   * are exactly the calls that were written.
   */
  private async writeBatch(calls: readonly PutCall[]): Promise<ReadonlySet<string>> {
    const count = calls.reduce((n, c) => n + 1 + c.rows.length, 0);
    if (count > MAX_BATCH_ROWS) {
      // A single call larger than any batch shape: its own statement, not kept.
      const [call] = calls as [PutCall];
      const all = [call.guard, ...call.rows];
      const sql =
        `INSERT INTO ${TABLE} (key, value, expires) SELECT column1, column2, column3 FROM (VALUES ${tuples(all.length)}) ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE key = ? AND (expires IS NULL OR expires > ?)) ${UPSERT} RETURNING key`;
      const out = await this.prepared(sql, [...flatten(all), call.guard.key, call.now], 'never');
      return new Set(out.map((r) => r.key as string));
    }
    const size = batchShape(count);
    const params: unknown[] = [];
    calls.forEach((c, i) => {
      params.push(i, c.guard.key, c.guard.value, c.guard.expires ?? null, c.now);
      for (const r of c.rows) params.push(i, r.key, r.value, r.expires ?? null, null);
    });
    for (let i = count; i < size; i++) params.push(null, null, null, null, null);
    const out = await this.prepared(batchSql(size), params, 'always');
    return new Set(out.map((r) => r.key as string));
  }

  async get(key: string, now: number): Promise<string | undefined> {
    const row = await this.reads.get(key);
    return row && (row.expires === null || row.expires > now) ? row.value : undefined;
  }

  private async readBatch(keys: readonly string[]): Promise<ReadonlyMap<string, ReadRow>> {
    const rows =
      keys.length === 1
        ? await this.prepared(`SELECT key, value, expires FROM ${TABLE} WHERE key = ?`, [keys[0]], 'always', this.reader)
        : await this.prepared(`SELECT key, value, expires FROM ${TABLE} WHERE key IN (SELECT value FROM json_each(?))`, [JSON.stringify(keys)], 'always', this.reader);
    return new Map(rows.map((r) => [r.key as string, { value: r.value as string, expires: (r.expires as number | null) ?? null }]));
  }

  async put(rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prepared(`INSERT INTO ${TABLE} (key, value, expires) VALUES ${tuples(rows.length)} ${UPSERT}`, flatten(rows));
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prepared(`DELETE FROM ${TABLE} WHERE key IN (SELECT value FROM json_each(?))`, [JSON.stringify(keys)]);
  }

  async scan(prefix: string, now: number, limit = -1): Promise<Row[]> {
    // Range scan on the primary key instead of LIKE, so `_` and `%` in ids need no escaping.
    const rows = await this.prepared(
      `SELECT key, value, expires FROM ${TABLE} WHERE key >= ? AND key < ? AND (expires IS NULL OR expires > ?) ORDER BY key LIMIT ?`,
      [prefix, `${prefix}\uffff`, now, limit],
      'bounded',
      this.reader,
    );
    return rows.map((r) => ({ key: r.key as string, value: r.value as string, expires: (r.expires as number | null) ?? undefined }));
  }

  async sweep(now: number): Promise<number> {
    const rows = await this.prepared(`DELETE FROM ${TABLE} WHERE expires IS NOT NULL AND expires <= ? RETURNING key`, [now]);
    return rows.length;
  }

  async ping(): Promise<void> {
    await this.all('SELECT 1', []);
  }

  /** Writes every putIfAbsent call already made (and refuses new ones) before closing. */
  async close(): Promise<void> {
    await this.commits.close();
    for (const pool of this.statements.values()) for (const p of pool) p.stmt.finalize();
    this.statements.clear();
    const close = (c: sqlite3.Database) => new Promise<void>((resolve, reject) => c.close((err) => (err ? reject(err) : resolve())));
    if (this.reader !== this.db) await close(this.reader);
    await close(this.db);
  }

  private all(sql: string, params: Params): Promise<Array<Record<string, unknown>>> {
    return new Promise((resolve, reject) => this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))));
  }

  /**
   * `cache`: batch shapes are few and always kept; other shapes while fewer than 64 are kept.
   *
   * node-sqlite3 runs one call at a time per statement object and starts the next only from the
   * event loop, so one hot statement (the read by key, a dozen times per delivery) would queue every
   * caller behind a round trip each. Up to STATEMENTS_PER_SHAPE copies of a shape let concurrent
   * calls wait at the connection instead, where SQLite hands them on directly.
   */
  private prepared(
    sql: string,
    params: Params,
    cache: 'always' | 'bounded' | 'never' = 'bounded',
    conn: sqlite3.Database = this.db,
  ): Promise<Array<Record<string, unknown>>> {
    const name = conn === this.db ? sql : `reader:${sql}`;
    const pool = this.statements.get(name);
    let pooled = pool?.find((p) => p.busy === 0);
    const keep = pool !== undefined || cache === 'always' || (cache === 'bounded' && this.statements.size < 64);
    if (!pooled && keep && (pool?.length ?? 0) < STATEMENTS_PER_SHAPE) {
      pooled = { stmt: conn.prepare(sql), busy: 0 };
      if (pool) pool.push(pooled);
      else this.statements.set(name, [pooled]);
    }
    pooled ??= pool?.reduce((a, b) => (b.busy < a.busy ? b : a));
    const used = pooled ?? { stmt: conn.prepare(sql), busy: 0 };
    used.busy += 1;
    return new Promise((resolve, reject) =>
      used.stmt.all(params, (err, rows) => {
        used.busy -= 1;
        if (!pooled) used.stmt.finalize();
        if (err) reject(err);
        else resolve(rows as Array<Record<string, unknown>>);
      }),
    );
  }
}

interface Pooled {
  readonly stmt: sqlite3.Statement;
  /** Calls started on it and not yet answered. */
  busy: number;
}

const STATEMENTS_PER_SHAPE = 4;
/** About 1 MiB of write-ahead log at SQLite's 4 KiB pages. */
const CHECKPOINT_PAGES = 256;
/** Keys per batch read: one JSON text parameter, so only the statement's work bounds it. */
const MAX_BATCH_READS = 500;

const UPSERT = 'ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires';
/** Rows (guards included) per group commit: 5 parameters each, well under SQLite's 32,766. */
const MAX_BATCH_ROWS = 256;
/** Batch statements come in sizes 4, 8, 16 … MAX_BATCH_ROWS rows, the unused tuples all NULL. */
const batchShape = (rows: number) => {
  let size = 4;
  while (size < rows) size *= 2;
  return size;
};
const batchSqlCache = new Map<number, string>();
const batchSql = (size: number) => {
  let sql = batchSqlCache.get(size);
  if (sql === undefined) {
    // Padding tuples have a NULL call, which `c IN win` never matches.
    sql =
      `WITH input(c, k, v, e, n) AS (VALUES ${Array.from({ length: size }, () => '(?, ?, ?, ?, ?)').join(', ')}), ` +
      `win(c) AS (SELECT c FROM input WHERE n IS NOT NULL AND NOT EXISTS ` +
      `(SELECT 1 FROM ${TABLE} t WHERE t.key = input.k AND (t.expires IS NULL OR t.expires > input.n))) ` +
      `INSERT INTO ${TABLE} (key, value, expires) SELECT k, v, e FROM input WHERE c IN win ${UPSERT} RETURNING key`;
    batchSqlCache.set(size, sql);
  }
  return sql;
};
async function connect(path: string): Promise<sqlite3.Database> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(path, (err) => (err ? reject(err) : resolve(d)));
  });
  db.configure('busyTimeout', 5_000);
  return db;
}

/**
 * Files written before the Keyv state moved into this table kept it in `@keyv/sqlite`'s `keyv`
 * table. Its entries are moved over once, in one transaction, with the expiry Keyv stored inside
 * each value, and the old table is dropped: message references become rows of their own (see
 * BackendMessageRefs), so lifecycles that started before keep updating their first message; the
 * rest (mutes, acks, audit) stay Keyv entries.
 */
async function adoptKeyvTable(run: (sql: string) => Promise<void>, db: sqlite3.Database): Promise<void> {
  const found = await new Promise<unknown[]>((resolve, reject) =>
    db.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'keyv'`, (err, rows) => (err ? reject(err) : resolve(rows))),
  );
  if (found.length === 0) return;
  const refs = `${KEYV_NAMESPACE}:${REF_PREFIX}`;
  const expires = `CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END`;
  await run('BEGIN IMMEDIATE');
  try {
    await run(
      `INSERT OR IGNORE INTO ${TABLE} (key, value, expires) SELECT '${REF_PREFIX}' || substr(key, ${refs.length + 1}), ` +
        `json_extract(value, '$.value'), ${expires} FROM keyv WHERE substr(key, 1, ${refs.length}) = '${refs}' AND json_valid(value)`,
    );
    await run(
      `INSERT OR IGNORE INTO ${TABLE} (key, value, expires) SELECT '${KV_PREFIX}' || key, value, ${expires} ` +
        `FROM keyv WHERE value IS NOT NULL AND substr(key, 1, ${refs.length}) <> '${refs}'`,
    );
    await run('DROP TABLE keyv');
    await run('COMMIT');
  } catch (err) {
    await run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

const tuples = (n: number) => Array.from({ length: n }, () => '(?, ?, ?)').join(', ');
const flatten = (rows: readonly Row[]) => rows.flatMap((r) => [r.key, r.value, r.expires ?? null]);
