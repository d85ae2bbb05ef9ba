import { Redis, type RedisOptions } from 'ioredis';
import type { Backend, Row } from './backend.js';

/**
 * Writes rows (and, when ARGV[1] is a time, first checks the guard row). Layout:
 *   KEYS[1] the set of index families; then per row: KEYS row hash, KEYS index zset
 *   ARGV[1] now or '' (plain put); then per row: logical key, value, expires or '', ttl ms or '', family or ''
 * A row is a hash {v, e}: `e` is the caller's expiry, so "live" follows the caller's clock exactly
 * as in the other backends; the Redis TTL only frees memory.
 */
const WRITE = `
local now = ARGV[1]
if now ~= '' then
  local cur = redis.call('HMGET', KEYS[2], 'v', 'e')
  if cur[1] and (not cur[2] or tonumber(cur[2]) > tonumber(now)) then return 0 end
end
local n = (#KEYS - 1) / 2
for i = 0, n - 1 do
  local k, idx, a = KEYS[2 + 2 * i], KEYS[3 + 2 * i], 2 + 5 * i
  local key, v, e, ttl, fam = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  redis.call('DEL', k)
  if e == '' then redis.call('HSET', k, 'v', v) else redis.call('HSET', k, 'v', v, 'e', e) end
  if ttl ~= '' then redis.call('PEXPIRE', k, ttl) end
  if fam ~= '' then
    redis.call('ZADD', idx, e == '' and '+inf' or e, key)
    redis.call('SADD', KEYS[1], fam)
  end
end
return 1
`;

export interface RedisBackendOptions {
  /** Prefix of every key this backend writes (default `hookbridge:`). */
  readonly prefix?: string;
}

type WriteCommand = (numKeys: number, ...args: string[]) => Promise<number>;

/**
 * Rows whose key holds a `/` are indexed per family (the key up to its first `/`, e.g. `ev:github/`)
 * in a sorted set scored by expiry, so listing a source's events or the outbox never walks the
 * keyspace. Other prefixes fall back to SCAN with MATCH, which is fine for rare admin reads.
 */
export const family = (key: string): string => {
  const i = key.indexOf('/');
  return i < 0 ? '' : key.slice(0, i + 1);
};

export class RedisBackend implements Backend {
  private readonly write: WriteCommand;

  private constructor(
    readonly client: Redis,
    private readonly prefix: string,
  ) {
    client.defineCommand('hookbridgeWrite', { lua: WRITE });
    this.write = (client as unknown as { hookbridgeWrite: WriteCommand }).hookbridgeWrite.bind(client);
  }

  /** Connects once (rejecting when Redis is not reachable); later outages fail calls fast and heal on their own. */
  static async open(connection: RedisOptions, o: RedisBackendOptions = {}): Promise<RedisBackend> {
    const client = new Redis({ ...failFast, ...connection, lazyConnect: true });
    // Outages are reported through the rejected calls; an unhandled 'error' event would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw err;
    }
    return new RedisBackend(client, o.prefix ?? 'hookbridge:');
  }

  async putIfAbsent(guard: Row, rows: readonly Row[], now: number): Promise<boolean> {
    // Guard rows are only ever read by key: indexing them would only cost memory.
    const out = await this.run(String(now), [{ ...guard, noIndex: true }, ...rows], now);
    return out === 1;
  }

  async get(key: string, now: number): Promise<string | undefined> {
    const [v, e] = await this.client.hmget(this.rowKey(key), 'v', 'e');
    return v !== null && (e === null || Number(e) > now) ? v : undefined;
  }

  async put(rows: readonly Row[]): Promise<void> {
    // put() is not given the caller's clock, so memory is freed by the wall clock here.
    if (rows.length > 0) await this.run('', rows, Date.now());
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const tx = this.client.multi();
    for (const k of keys) {
      tx.del(this.rowKey(k));
      if (family(k)) tx.zrem(this.indexKey(family(k)), k);
    }
    await tx.exec();
  }

  async scan(prefix: string, now: number, limit = Number.MAX_SAFE_INTEGER): Promise<Row[]> {
    const keys = family(prefix) ? await this.indexed(prefix, now) : await this.matched(prefix);
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: Row[] = [];
    for (let i = 0; i < keys.length && out.length < limit; i += 500) {
      const batch = keys.slice(i, i + 500);
      const tx = this.client.pipeline();
      for (const k of batch) tx.hmget(this.rowKey(k), 'v', 'e');
      const res = (await tx.exec()) ?? [];
      batch.forEach((key, j) => {
        const [err, pair] = res[j] ?? [];
        if (err) throw err;
        const [v, e] = pair as [string | null, string | null];
        if (v !== null && (e === null || Number(e) > now) && out.length < limit) out.push({ key, value: v, ...(e !== null && { expires: Number(e) }) });
      });
    }
    return out;
  }

  async sweep(now: number): Promise<number> {
    let n = 0;
    for (const fam of await this.client.smembers(this.familiesKey())) {
      n += await this.client.zremrangebyscore(this.indexKey(fam), '-inf', now);
    }
    return n;
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private async run(now: string, rows: readonly (Row & { noIndex?: boolean })[], clock: number): Promise<number> {
    const keys = [this.familiesKey()];
    const args = [now];
    for (const r of rows) {
      const fam = r.noIndex ? '' : family(r.key);
      keys.push(this.rowKey(r.key), fam ? this.indexKey(fam) : this.rowKey(r.key));
      const ttl = r.expires === undefined ? '' : String(Math.max(1, r.expires - clock));
      args.push(r.key, r.value, r.expires === undefined ? '' : String(r.expires), ttl, fam);
    }
    return this.write(keys.length, ...keys, ...args);
  }

  private async indexed(prefix: string, now: number): Promise<string[]> {
    const members = await this.client.zrangebyscore(this.indexKey(family(prefix)), `(${now}`, '+inf');
    return members.filter((k) => k.startsWith(prefix));
  }

  private async matched(prefix: string): Promise<string[]> {
    const rowPrefix = this.rowKey('');
    const pattern = `${rowPrefix}${prefix}`.replace(/[*?[\]\\]/g, '\\$&') + '*';
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const k of batch) keys.push(k.slice(rowPrefix.length));
    } while (cursor !== '0');
    return [...new Set(keys)];
  }

  private rowKey(key: string): string {
    return `${this.prefix}row:${key}`;
  }

  private indexKey(fam: string): string {
    return `${this.prefix}idx:${fam}`;
  }

  private familiesKey(): string {
    return `${this.prefix}families`;
  }
}

/**
 * Ingest must answer 503 at once when Redis is away rather than queue the write in memory (which
 * would make a 2xx a lie) or wait for a reconnect; reconnecting keeps going in the background.
 */
export const failFast: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 1_000,
  commandTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 100, 1_000),
};
