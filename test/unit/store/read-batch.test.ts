import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadBatch, type ReadRow } from '../../../src/store/read-batch.js';
import { SqliteBackend } from '../../../src/store/sqlite-backend.js';

/** A reader over a plain map that records the batches it was asked for and answers when told. */
function fakeReader(rows: Record<string, string>) {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  let fail: Error | undefined;
  const read = (keys: readonly string[]) =>
    new Promise<ReadonlyMap<string, ReadRow>>((resolve, reject) => {
      batches.push([...keys]);
      pending.push(() => {
        if (fail) return reject(fail);
        resolve(new Map(keys.filter((k) => k in rows).map((k) => [k, { value: rows[k]!, expires: null }])));
      });
    });
  return {
    read,
    batches,
    failNext: (err: Error) => (fail = err),
    answer: async () => {
      while (pending.length === 0) await new Promise((r) => setImmediate(r));
      pending.shift()!();
      fail = undefined;
    },
  };
}

describe('ReadBatch', () => {
  it('sends the reads of one tick together, and those made meanwhile as the next batch', async () => {
    const r = fakeReader({ a: '1', b: '2', c: '3' });
    const batch = new ReadBatch(r.read, 100);
    const first = [batch.get('a'), batch.get('b'), batch.get('a'), batch.get('zz')];
    await r.answer();
    expect(r.batches).toEqual([['a', 'b', 'zz']]);
    expect((await Promise.all(first)).map((row) => row?.value)).toEqual(['1', '2', '1', undefined]);

    const held = batch.get('a');
    await new Promise((res) => setImmediate(res));
    const later = [batch.get('b'), batch.get('c')];
    await r.answer();
    await r.answer();
    expect(r.batches.slice(1)).toEqual([['a'], ['b', 'c']]);
    expect((await held)?.value).toBe('1');
    expect((await Promise.all(later)).map((row) => row?.value)).toEqual(['2', '3']);
  });

  it('rejects every read of a failed batch and goes on with the next', async () => {
    const r = fakeReader({ a: '1' });
    const batch = new ReadBatch(r.read, 100);
    r.failNext(new Error('disk I/O error'));
    const failed = [batch.get('a'), batch.get('a'), batch.get('b')].map((p) => p.catch((e: Error) => e.message));
    await r.answer();
    expect(await Promise.all(failed)).toEqual(['disk I/O error', 'disk I/O error', 'disk I/O error']);
    const next = batch.get('a');
    await r.answer();
    expect((await next)?.value).toBe('1');
  });

  it('splits more keys than a batch takes over several batches', async () => {
    const r = fakeReader({});
    const batch = new ReadBatch(r.read, 2);
    const all = Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => batch.get(k)));
    for (let i = 0; i < 3; i++) await r.answer();
    await all;
    expect(r.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});

describe('SQLite reads by key under concurrency', () => {
  const dirs: string[] = [];
  afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

  it('answers hundreds of concurrent reads, repeated keys and writes in between included, each with its own row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-reads-'));
    dirs.push(dir);
    const b = await SqliteBackend.open(join(dir, 'hb.sqlite'));
    try {
      const now = Date.now();
      await b.put(Array.from({ length: 300 }, (_, i) => ({ key: `k:${i}`, value: `v${i}`, ...(i % 10 === 0 && { expires: now - 1 }) })));
      const reads = Array.from({ length: 600 }, (_, i) => b.get(`k:${i % 400}`, now));
      const written = b.put([{ key: 'k:350', value: 'late' }]);
      const values = await Promise.all(reads);
      values.forEach((v, i) => {
        const n = i % 400;
        if (n >= 300) expect(v === undefined || (n === 350 && v === 'late')).toBe(true);
        else expect(v).toBe(n % 10 === 0 ? undefined : `v${n}`);
      });
      await written;
      expect(await b.get('k:350', now)).toBe('late');
    } finally {
      await b.close();
    }
  });
});
