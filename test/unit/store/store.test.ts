import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { redisAvailable, startRedis, type RedisServer } from '../../helpers/redis-server.js';
import type { Outcome, QueuedJob } from '../../../src/store/queue.js';
import type { StoredEvent } from '../../../src/store/types.js';

const event = (id: string, source = 'gh', receivedAt = '2026-01-01T00:00:00.000Z'): StoredEvent => ({
  source,
  id,
  type: 'push',
  receivedAt,
  headers: { 'x-github-event': 'push' },
  payload: { n: id },
});
const opts = { dedupeTtlMs: 60_000, retentionMs: 600_000 };

type Job = { n: number };
const dirs: string[] = [];
const stores: Store<Job>[] = [];

async function sqliteUrl(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-store-'));
  dirs.push(dir);
  return `sqlite://${join(dir, 'nested', 'hb.sqlite')}`;
}

// One redis-server for the file, started on first use; each store gets its own key prefix.
let redis: Promise<RedisServer> | undefined;
let prefixes = 0;
async function redisUrl(): Promise<string> {
  redis ??= startRedis();
  return `${(await redis).url}?prefix=t${++prefixes}:`;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

afterAll(async () => {
  await (await redis)?.stop();
});

/** Every store kind passes the same suite; Redis is skipped locally (and fails under CI) when not installed. */
interface StoreFactory {
  readonly name: string;
  readonly url: () => Promise<string>;
  readonly skip?: boolean;
}

const factories: StoreFactory[] = [
  { name: 'memory', url: async () => 'memory://' },
  { name: 'sqlite', url: sqliteUrl },
  { name: 'redis', url: redisUrl, skip: !redisAvailable() },
];

function collect(store: Store<Job>, decide: (j: QueuedJob<Job>) => Outcome = () => ({ kind: 'done' })) {
  const seen: QueuedJob<Job>[] = [];
  const consumer = store.queue.consume(async (j) => (seen.push(j), decide(j)), { concurrency: 4 });
  return { seen, consumer };
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(factories.map((f) => [f.name, f] as const))('%s store', (_name, { url: makeUrl, skip }) => {
  if (skip) return void it.skip('needs redis-server');
  const open = async (url?: string, now?: () => number) => {
    const s = await openStore<Job>(url ?? (await makeUrl()), { now });
    stores.push(s);
    return s;
  };

  it('records an event once, however many deliveries race for it', async () => {
    const s = await open();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => s.recorder.record(event('e1'), [{ id: 'j1', data: { n: 1 } }], opts)),
    );
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
    expect(await s.events.get({ source: 'gh', id: 'e1' })).toEqual(event('e1'));
  });

  it('takes the same id again once the dedupe TTL has passed', async () => {
    let t = 1_000_000;
    const s = await open(undefined, () => t);
    expect(await s.recorder.record(event('e1'), [], opts)).toBe('new');
    t += 59_000;
    expect(await s.recorder.record(event('e1'), [], opts)).toBe('duplicate');
    t += 2_000;
    expect(await s.recorder.record(event('e1'), [], opts)).toBe('new');
  });

  it('keeps the same id apart across sources', async () => {
    const s = await open();
    expect(await s.recorder.record(event('e1', 'a'), [], opts)).toBe('new');
    expect(await s.recorder.record(event('e1', 'b'), [], opts)).toBe('new');
  });

  it('lists recent events newest first, bounded by time and count', async () => {
    const s = await open();
    for (const [i, at] of ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'].entries()) {
      await s.recorder.record(event(`e${i}`, 'gh', at), [], opts);
    }
    const all = await s.events.recent('gh', { limit: 10 });
    expect(all.map((e) => e.id)).toEqual(['e2', 'e1', 'e0']);
    expect((await s.events.recent('gh', { limit: 1 })).map((e) => e.id)).toEqual(['e2']);
    expect((await s.events.recent('gh', { from: new Date('2026-01-02T00:00:00Z'), limit: 9 })).map((e) => e.id)).toEqual(['e2', 'e1']);
  });

  it('delivers recorded jobs to the consumer and forgets them when done', async () => {
    const s = await open();
    const { seen, consumer } = collect(s);
    await s.recorder.record(event('e1'), [{ id: 'j1', data: { n: 1 } }, { id: 'j2', data: { n: 2 } }], opts);
    await until(() => seen.length === 2);
    await until(async () => (await s.queue.depth()).active === 0);
    expect(await s.queue.depth()).toMatchObject({ waiting: 0, delayed: 0, active: 0, dead: 0 });
    await consumer.close();
  });

  it('retries with the delay asked for, then dead-letters and redrives', async () => {
    const s = await open();
    const { seen, consumer } = collect(s, (j) =>
      j.attempt < 3 ? { kind: 'retry', afterMs: 20, reason: `boom ${j.attempt}` } : { kind: 'dead', reason: 'gave up' },
    );
    await s.queue.enqueue([{ id: 'j1', data: { n: 1 } }]);
    await until(async () => (await s.queue.depth()).dead === 1);
    expect(seen.map((j) => [j.attempt, j.lastError])).toEqual([
      [1, undefined],
      [2, 'boom 1'],
      [3, 'boom 2'],
    ]);
    const [dead] = await s.queue.deadLetters(10);
    expect(dead).toMatchObject({ id: 'j1', data: { n: 1 }, lastError: 'gave up' });
    expect(await s.queue.redrive('j1')).toBe(true);
    expect(await s.queue.redrive('nope')).toBe(false);
    await until(() => seen.length === 4);
    expect(seen[3]!.attempt).toBe(1);
    await consumer.close();
  });

  it('a free retry keeps the attempt number; every run sees when the job was first queued', async () => {
    const s = await open();
    const { seen, consumer } = collect(s, (j) =>
      seen.length <= 2 ? { kind: 'retry', afterMs: 10, reason: `later ${seen.length}`, free: true } : seen.length === 3 ? { kind: 'retry', afterMs: 10, reason: 'boom' } : { kind: 'done' },
    );
    const before = Date.now();
    await s.queue.enqueue([{ id: 'j1', data: { n: 1 } }]);
    await until(() => seen.length === 4);
    expect(seen.map((j) => [j.attempt, j.lastError])).toEqual([
      [1, undefined],
      [1, 'later 1'],
      [1, 'later 2'],
      [2, 'boom'],
    ]);
    const queuedAt = seen[0]!.queuedAt!;
    expect(queuedAt).toBeGreaterThanOrEqual(before - 1);
    expect(seen.every((j) => j.queuedAt === queuedAt)).toBe(true);
    await consumer.close();
  });

  it('keeps message references per key and target', async () => {
    const s = await open();
    await s.refs.put('k', 'slack:#ci', { platform: 'slack', channel: 'C1', id: '1.2' });
    await s.refs.put('k', 'console', { platform: 'console', channel: 'console', id: '7' });
    expect(await s.refs.get('k', 'slack:#ci')).toEqual({ platform: 'slack', channel: 'C1', id: '1.2' });
    expect(await s.refs.get('k', 'discord:1')).toBeUndefined();
    expect((await s.refs.all('k')).map((r) => r.target).sort()).toEqual(['console', 'slack:#ci']);
  });

  it('ends mutes on expiry and on clear', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const s = await open(undefined, () => t);
    await s.mutes.set({ source: 'gh', until: new Date(t + 60_000).toISOString(), by: 'ana' });
    await s.mutes.set({ source: 'gl', until: new Date(t + 60_000).toISOString(), by: 'bo' });
    expect((await s.mutes.get('gh'))?.by).toBe('ana');
    expect(await s.mutes.clear('gl')).toBe(true);
    expect((await s.mutes.list()).map((m) => m.source)).toEqual(['gh']);
    t += 61_000;
    expect(await s.mutes.get('gh')).toBeUndefined();
  });

  it('fails writes once closed, so ingest can answer 503', async () => {
    const s = await open();
    await s.close();
    stores.pop();
    await expect(s.recorder.record(event('e1'), [], opts)).rejects.toThrow();
    await expect(s.ping()).rejects.toThrow();
  });
});

describe('sqlite store durability', () => {
  it('reloads unfinished jobs after a restart', async () => {
    const url = await sqliteUrl();
    const first = await openStore<Job>(url);
    await first.recorder.record(event('e1'), [{ id: 'j1', data: { n: 1 } }], opts);
    await first.queue.enqueue([{ id: 'j2', data: { n: 2 }, delayMs: 10 }]);
    await first.close();

    const second = await openStore<Job>(url);
    stores.push(second);
    const { seen, consumer } = collect(second);
    await until(() => seen.length === 2);
    expect(seen.map((j) => j.data.n).sort()).toEqual([1, 2]);
    expect(await second.recorder.record(event('e1'), [], opts)).toBe('duplicate');
    await consumer.close();
  });
});
