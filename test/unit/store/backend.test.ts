import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/store/backend.js';
import { MemoryBackend } from '../../../src/store/memory-backend.js';
import { RedisBackend } from '../../../src/store/redis-backend.js';
import { SqliteBackend } from '../../../src/store/sqlite-backend.js';
import { redisAvailable, startRedis, type RedisServer } from '../../helpers/redis-server.js';

const dirs: string[] = [];
const open: Backend[] = [];
let redis: Promise<RedisServer> | undefined;
let prefixes = 0;

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(async () => {
  await (await redis)?.stop();
});

/** One suite for every Backend: the typed stores above rely on exactly these semantics. */
const factories: { name: string; make: () => Promise<Backend>; skip?: boolean }[] = [
  { name: 'memory', make: async () => new MemoryBackend() },
  {
    name: 'sqlite',
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'hb-backend-'));
      dirs.push(dir);
      return SqliteBackend.open(join(dir, 'b.sqlite'));
    },
  },
  {
    name: 'redis',
    skip: !redisAvailable(),
    make: async () => {
      redis ??= startRedis();
      return RedisBackend.open({ host: '127.0.0.1', port: (await redis).port }, { prefix: `b${++prefixes}:` });
    },
  },
];

describe.each(factories.map((f) => [f.name, f] as const))('%s backend', (_name, { make, skip }) => {
  if (skip) return void it.skip('needs redis-server');
  const backend = async () => {
    const b = await make();
    open.push(b);
    return b;
  };
  const t0 = 1_000_000;

  it('writes guard and rows only while the guard is absent or expired', async () => {
    const b = await backend();
    const guard = { key: 'dd:gh/1', value: 'a', expires: t0 + 100 };
    expect(await b.putIfAbsent(guard, [{ key: 'ev:gh/1', value: 'first' }], t0)).toBe(true);
    expect(await b.putIfAbsent({ ...guard, value: 'b' }, [{ key: 'ev:gh/1', value: 'second' }], t0 + 99)).toBe(false);
    expect(await b.get('ev:gh/1', t0)).toBe('first');
    expect(await b.putIfAbsent({ ...guard, value: 'c', expires: t0 + 300 }, [{ key: 'ev:gh/1', value: 'third' }], t0 + 100)).toBe(true);
    expect(await b.get('ev:gh/1', t0)).toBe('third');
    expect(await b.get('dd:gh/1', t0 + 100)).toBe('c');
  });

  it('answers concurrent calls exactly: one new per guard, every distinct guard new', async () => {
    const b = await backend();
    const calls = ['a', 'b', 'a', 'c', 'a'].map((id, i) => b.putIfAbsent({ key: `dd:gh/${id}`, value: String(i), expires: t0 + 100 }, [{ key: `ev:gh/${id}`, value: `v${i}` }], t0));
    expect(await Promise.all(calls)).toEqual([true, true, false, true, false]);
    expect(await b.get('ev:gh/a', t0)).toBe('v0');
  });

  it('hides rows past their expiry by the caller clock', async () => {
    const b = await backend();
    await b.put([{ key: 'k/1', value: 'v', expires: Date.now() + 60_000 }]);
    expect(await b.get('k/1', Date.now())).toBe('v');
    expect(await b.get('k/1', Date.now() + 60_000)).toBeUndefined();
    expect(await b.scan('k/', Date.now() + 60_000)).toEqual([]);
  });

  it('scans by prefix in key order, bounded, with and without a family', async () => {
    const b = await backend();
    await b.put(['ev:gh/b', 'ev:gh/a', 'ev:gl/a', 'ev:gh/c/d', 'job:x', 'job:y', 'job*z'].map((key) => ({ key, value: key })));
    expect((await b.scan('ev:gh/', t0)).map((r) => r.key)).toEqual(['ev:gh/a', 'ev:gh/b', 'ev:gh/c/d']);
    expect((await b.scan('ev:gh/', t0, 2)).map((r) => r.value)).toEqual(['ev:gh/a', 'ev:gh/b']);
    expect((await b.scan('ev:gh/c', t0)).map((r) => r.key)).toEqual(['ev:gh/c/d']);
    expect((await b.scan('job:', t0)).map((r) => r.key)).toEqual(['job:x', 'job:y']);
    expect((await b.scan('job*', t0)).map((r) => r.key)).toEqual(['job*z']);
  });

  it('deletes rows from reads and scans alike', async () => {
    const b = await backend();
    await b.put([{ key: 'outbox/1', value: '1' }, { key: 'outbox/2', value: '2' }, { key: 'plain', value: 'p' }]);
    await b.delete(['outbox/1', 'plain']);
    expect(await b.get('plain', t0)).toBeUndefined();
    expect((await b.scan('outbox/', t0)).map((r) => r.key)).toEqual(['outbox/2']);
  });

  it('sweeps expired rows without touching live ones', async () => {
    const b = await backend();
    const now = Date.now();
    await b.put([{ key: 'ev:s/old', value: 'o', expires: now + 10 }, { key: 'ev:s/new', value: 'n', expires: now + 60_000 }]);
    expect(await b.sweep(now + 20)).toBeGreaterThanOrEqual(1);
    expect((await b.scan('ev:s/', now + 20)).map((r) => r.key)).toEqual(['ev:s/new']);
  });

  it('answers ping while open and fails once closed', async () => {
    const b = await backend();
    await expect(b.ping()).resolves.toBeUndefined();
    await b.close();
    await expect(b.ping()).rejects.toThrow();
  });
});
