import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendKeyvStore } from '../../../src/store/backend-keyv.js';
import type { Backend } from '../../../src/store/backend.js';
import { MemoryBackend } from '../../../src/store/memory-backend.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { SqliteBackend } from '../../../src/store/sqlite-backend.js';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-kv-'));
  dirs.push(dir);
  return join(dir, 'hb.sqlite');
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const backends: Record<string, () => Promise<Backend>> = {
  memory: async () => new MemoryBackend(),
  sqlite: async () => {
    const b = await SqliteBackend.open(await tempFile());
    closers.push(() => b.close());
    return b;
  },
};

describe.each(Object.keys(backends))('Keyv on the %s backend', (name) => {
  const open = async (now: () => number = Date.now) => {
    const backend = await backends[name]!();
    return { backend, kv: new Keyv({ store: new BackendKeyvStore(backend, now), namespace: 'hb' }) };
  };

  it('stores, reads and deletes values of any JSON shape', async () => {
    const { kv } = await open();
    await kv.set('mute:gh', { until: '2026-01-01T01:00:00.000Z', by: 'U1' });
    await kv.set('audit:log', [{ action: 'ack' }, { action: 'mute' }]);
    expect(await kv.get('mute:gh')).toEqual({ until: '2026-01-01T01:00:00.000Z', by: 'U1' });
    expect(await kv.get('audit:log')).toEqual([{ action: 'ack' }, { action: 'mute' }]);
    expect(await kv.get('missing')).toBeUndefined();
    expect(await kv.delete('mute:gh')).toBe(true);
    expect(await kv.delete('mute:gh')).toBe(false);
    expect(await kv.get('mute:gh')).toBeUndefined();
  });

  it('forgets an entry once its time to live has passed, and the backend row expires with it', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const { kv, backend } = await open(() => t);
    await kv.set('ack:gh/1', { by: 'U1' }, 60_000);
    expect(await kv.get('ack:gh/1')).toEqual({ by: 'U1' });
    t += 61_000;
    // Keyv reads the expiry inside the value with the real clock; the row's own expiry uses the store's.
    expect(await backend.get('kv:hb:ack:gh/1', t)).toBeUndefined();
    expect(await backend.sweep(t)).toBe(1);
  });

  it('clears its own namespace only', async () => {
    const backend = await backends[name]!();
    const a = new Keyv({ store: new BackendKeyvStore(backend), namespace: 'hb' });
    const b = new Keyv({ store: new BackendKeyvStore(backend), namespace: 'other' });
    await a.set('x', 1);
    await b.set('x', 2);
    await backend.put([{ key: 'ev:gh/1', value: '{}' }]);
    await a.clear();
    expect(await a.get('x')).toBeUndefined();
    expect(await b.get('x')).toBe(2);
    expect(await backend.get('ev:gh/1', Date.now())).toBe('{}');
  });
});

describe('a SQLite file written with the old Keyv table', () => {
  it('keeps its mutes and acks: they are moved into the store once and the old table is dropped', async () => {
    const path = await tempFile();
    const db = new sqlite3.Database(path);
    const run = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
    // The layout @keyv/sqlite wrote: key, and the value as Keyv serialised it (expiry inside).
    await run('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
    const later = Date.now() + 3_600_000;
    await run('INSERT INTO keyv VALUES (?, ?)', ['hb:mute:gh', JSON.stringify({ value: { until: 'soon' }, expires: later })]);
    await run('INSERT INTO keyv VALUES (?, ?)', ['hb:audit:log', JSON.stringify({ value: [{ action: 'ack' }] })]);
    await new Promise<void>((resolve) => db.close(() => resolve()));

    const store: Store<unknown> = await openStore(`sqlite://${path}`);
    closers.push(() => store.close());
    expect(await store.kv.get('mute:gh')).toEqual({ until: 'soon' });
    expect(await store.kv.get('audit:log')).toEqual([{ action: 'ack' }]);
    await store.close();
    closers.pop();

    const check = new sqlite3.Database(path);
    const tables = await new Promise<{ name: string }[]>((resolve, reject) =>
      check.all(`SELECT name FROM sqlite_master WHERE type = 'table'`, (err, rows) => (err ? reject(err) : resolve(rows as { name: string }[]))),
    );
    const expires = await new Promise<{ expires: number | null }[]>((resolve, reject) =>
      check.all(`SELECT expires FROM hookbridge_rows WHERE key = 'kv:hb:mute:gh'`, (err, rows) => (err ? reject(err) : resolve(rows as { expires: number | null }[]))),
    );
    await new Promise<void>((resolve) => check.close(() => resolve()));
    expect(tables.map((t) => t.name)).not.toContain('keyv');
    expect(expires).toEqual([{ expires: later }]);

    // Opening again finds nothing left to move and keeps what was moved.
    const again: Store<unknown> = await openStore(`sqlite://${path}`);
    closers.push(() => again.close());
    expect(await again.kv.get('mute:gh')).toEqual({ until: 'soon' });
  });
});
