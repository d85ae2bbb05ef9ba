import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Row } from '../../../src/store/backend.js';
import { GroupCommit, type PutCall } from '../../../src/store/sqlite-batch.js';
import { SqliteBackend } from '../../../src/store/sqlite-backend.js';

const dirs: string[] = [];
const open: SqliteBackend[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((b) => b.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function file(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-batch-'));
  dirs.push(dir);
  return join(dir, 'b.sqlite');
}
async function backend(path?: string): Promise<SqliteBackend> {
  const b = await SqliteBackend.open(path ?? (await file()));
  open.push(b);
  return b;
}
const t0 = 1_000_000;
const guard = (id: string, expires = t0 + 1_000): Row => ({ key: `dd:gh/${id}`, value: id, expires });
const event = (id: string, value = `event ${id}`): Row => ({ key: `ev:gh/${id}`, value, expires: t0 + 10_000 });
const job = (id: string): Row => ({ key: `job:${id}`, value: `{"id":"${id}"}` });

describe('SQLite group commit', () => {
  it('answers many concurrent callers exactly and writes them in fewer statements', async () => {
    const b = await backend();
    const ids = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const answers = await Promise.all(ids.map((id) => b.putIfAbsent(guard(id), [event(id), job(id)], t0)));
    expect(answers).toEqual(ids.map(() => true));
    for (const id of ids) {
      expect(await b.get(`ev:gh/${id}`, t0)).toBe(`event ${id}`);
      expect(await b.get(`job:${id}`, t0)).toBe(`{"id":"${id}"}`);
    }
    expect(b.groupCommits.calls).toBe(300);
    expect(b.groupCommits.batches).toBeLessThan(300);
    // The same calls again are all duplicates, and write nothing.
    const again = await Promise.all(ids.map((id) => b.putIfAbsent(guard(id), [event(id, 'again')], t0 + 1)));
    expect(again.every((a) => a === false)).toBe(true);
    expect(await b.get('ev:gh/e7', t0)).toBe('event e7');
  });

  it('makes exactly one of several concurrent calls with one guard new: the first', async () => {
    const b = await backend();
    const answers = await Promise.all(['first', 'second', 'third'].map((v) => b.putIfAbsent(guard('1'), [event('1', v)], t0)));
    expect(answers).toEqual([true, false, false]);
    expect(await b.get('ev:gh/1', t0)).toBe('first');
    // Concurrent repeats of a stored, live guard are all duplicates.
    expect(await Promise.all([b.putIfAbsent(guard('1'), [event('1', 'x')], t0 + 5), b.putIfAbsent(guard('1'), [event('1', 'y')], t0 + 6)])).toEqual([false, false]);
    expect(await b.get('ev:gh/1', t0)).toBe('first');
  });

  it('judges each concurrent call by its own clock against a guard that expires between them', async () => {
    const b = await backend();
    expect(await b.putIfAbsent(guard('1', t0 + 100), [event('1', 'old')], t0)).toBe(true);
    // Same batch: the first call still sees the guard live, the second sees it expired.
    const answers = await Promise.all([
      b.putIfAbsent(guard('1', t0 + 1_000), [event('1', 'early')], t0 + 50),
      b.putIfAbsent(guard('1', t0 + 1_100), [event('1', 'late')], t0 + 150),
      b.putIfAbsent(guard('1', t0 + 1_200), [event('1', 'later')], t0 + 160),
    ]);
    expect(answers).toEqual([false, true, false]);
    expect(await b.get('ev:gh/1', t0)).toBe('late');
    expect(await b.get('dd:gh/1', t0 + 200)).toBe('1');
    // A guard written in the batch that has expired by a later call's clock does not hold that call off.
    const short = await Promise.all([
      b.putIfAbsent(guard('2', t0 + 10), [event('2', 'short')], t0),
      b.putIfAbsent(guard('2', t0 + 1_000), [event('2', 'after expiry')], t0 + 20),
    ]);
    expect(short).toEqual([true, true]);
    expect(await b.get('ev:gh/2', t0)).toBe('after expiry');
  });

  it('rejects every call of a failing batch, its duplicates included, and writes none of it', async () => {
    const b = await backend();
    const bad: Row = { key: 'ev:gh/bad', value: null as unknown as string };
    const calls = [
      b.putIfAbsent(guard('ok'), [event('ok'), job('ok')], t0),
      b.putIfAbsent(guard('bad'), [bad], t0),
      b.putIfAbsent(guard('ok'), [event('ok', 'dup')], t0),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    for (const key of ['dd:gh/ok', 'ev:gh/ok', 'job:ok', 'dd:gh/bad', 'ev:gh/bad']) expect(await b.get(key, t0)).toBeUndefined();
    // The store keeps working, and the retried event is new.
    expect(await b.putIfAbsent(guard('ok'), [event('ok'), job('ok')], t0)).toBe(true);
    expect(await b.get('job:ok', t0)).toBe('{"id":"ok"}');
  });

  it('applies concurrent calls that write the same row in arrival order', async () => {
    const b = await backend();
    const shared = (value: string): Row => ({ key: 'ref:shared', value });
    const answers = await Promise.all([
      b.putIfAbsent(guard('a'), [shared('from a')], t0),
      b.putIfAbsent(guard('b'), [shared('from b')], t0),
      b.putIfAbsent({ key: 'ref:shared', value: 'as guard' }, [event('c')], t0),
    ]);
    // c's guard is the row a and b wrote just before it: live, so c is a duplicate.
    expect(answers).toEqual([true, true, false]);
    expect(await b.get('ref:shared', t0)).toBe('from b');
    expect(await b.get('ev:gh/c', t0)).toBeUndefined();
  });

  it('writes a call larger than any batch on its own, beside ordinary ones', async () => {
    const b = await backend();
    const many = Array.from({ length: 600 }, (_, i) => job(`big-${i}`));
    const answers = await Promise.all([
      b.putIfAbsent(guard('small-1'), [event('small-1')], t0),
      b.putIfAbsent(guard('big'), many, t0),
      b.putIfAbsent(guard('small-2'), [event('small-2')], t0),
    ]);
    expect(answers).toEqual([true, true, true]);
    expect(await b.scan('job:big-', t0)).toHaveLength(600);
    expect(await b.putIfAbsent(guard('big'), many, t0)).toBe(false);
  });

  it('sees committed writes from the other methods while batches run', async () => {
    const b = await backend();
    const ids = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const writes = ids.map((id) => b.putIfAbsent(guard(id), [event(id)], t0));
    const other = b.put([{ key: 'plain', value: 'p' }]);
    await Promise.all([...writes, other]);
    expect((await b.scan('ev:gh/', t0)).map((r) => r.key).sort()).toEqual(ids.map((id) => `ev:gh/${id}`).sort());
    expect(await b.sweep(t0 + 20_000)).toBe(100);
    expect(await b.get('plain', t0 + 20_000)).toBe('p');
  });

  it('writes every call made before close, then refuses new ones', async () => {
    const path = await file();
    const b = await SqliteBackend.open(path);
    const pending = ['x', 'y', 'z'].map((id) => b.putIfAbsent(guard(id), [event(id)], t0));
    const closed = b.close();
    await expect(b.putIfAbsent(guard('late'), [event('late')], t0)).rejects.toThrow(/closed/);
    expect(await Promise.all(pending)).toEqual([true, true, true]);
    await closed;
    const reopened = await backend(path);
    expect(await reopened.get('ev:gh/z', t0)).toBe('event z');
    expect(await reopened.get('ev:gh/late', t0)).toBeUndefined();
  });
});

describe('GroupCommit', () => {
  const call = (id: string, now = t0, expires = t0 + 1_000): PutCall => ({ guard: guard(id, expires), rows: [event(id)], now });

  it('sends a call out at once when nothing is in flight, with no timer', async () => {
    vi.useFakeTimers();
    const write = vi.fn(async (calls: readonly PutCall[]) => new Set(calls.map((c) => c.guard.key)));
    const gc = new GroupCommit(write, 16);
    const answer = gc.put(call('1'));
    await Promise.resolve();
    expect(write).toHaveBeenCalledTimes(1);
    expect(await answer).toBe(true);
  });

  it('gathers the calls made while a write is in flight into the next batch', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const write = async (calls: readonly PutCall[]) => {
      batches.push(calls.map((c) => c.guard.value));
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return new Set(calls.map((c) => c.guard.key));
    };
    const gc = new GroupCommit(write, 6);
    const first = gc.put(call('1'));
    await Promise.resolve();
    const rest = ['2', '3', '4', '5'].map((id) => gc.put(call(id)));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([true, true, true, true, true]);
    // At most 6 rows (3 calls of 2 rows) per batch.
    expect(batches).toEqual([['1'], ['2', '3', '4'], ['5']]);
  });

  it('judges a duplicate again after a batch whose guard was already stored', async () => {
    const stored = new Set(['dd:gh/1']);
    const seen: string[][] = [];
    const write = async (calls: readonly PutCall[]) => {
      seen.push(calls.map((c) => `${c.guard.key}@${c.now}`));
      const fresh = calls.filter((c) => !stored.has(c.guard.key)).map((c) => c.guard.key);
      return new Set(fresh);
    };
    const gc = new GroupCommit(write, 64);
    const answers = await Promise.all([gc.put(call('1', t0)), gc.put(call('2', t0)), gc.put(call('1', t0 + 1))]);
    expect(answers).toEqual([false, true, false]);
    expect(seen).toEqual([['dd:gh/1@1000000', 'dd:gh/2@1000000'], ['dd:gh/1@1000001']]);
  });

  it('close waits for the calls already made and refuses later ones', async () => {
    let writes = 0;
    const gc = new GroupCommit(async (calls) => {
      writes += 1;
      await new Promise((r) => setTimeout(r, 5));
      return new Set(calls.map((c) => c.guard.key));
    }, 64);
    const a = gc.put(call('a'));
    const closed = gc.close();
    await expect(gc.put(call('b'))).rejects.toThrow(/closed/);
    await closed;
    expect(await a).toBe(true);
    expect(writes).toBe(1);
    await gc.close();
  });
});
