/**
 * Several hookbridge instances on one real Redis: dedupe across instances, jobs crossing
 * instances, retries on our own delay, dead letters, a SIGKILLed consumer, and Redis outages.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import type { Outcome, QueuedJob } from '../../src/store/queue.js';
import { RedisBackend } from '../../src/store/redis-backend.js';
import { RedisOutbox } from '../../src/store/redis-outbox.js';
import { redisConnection } from '../../src/store/redis-store.js';
import type { StoredEvent } from '../../src/store/types.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server.js';

type Job = { n: number };
const opts = { dedupeTtlMs: 60_000, retentionMs: 600_000 };
const event = (id: string): StoredEvent => ({ source: 'gh', id, type: 'push', receivedAt: new Date().toISOString(), headers: {}, payload: { id } });
const timings = { lockDurationMs: 1_000, stalledIntervalMs: 300, relayEveryMs: 200 };

const until = async (cond: () => boolean | Promise<boolean>, ms = 8_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Settles within `ms` or reports that the call hung. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'resolved' as const, () => 'rejected' as const), new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))]);

const stores: Store<Job>[] = [];
let prefixes = 0;

describe.skipIf(!redisAvailable())('redis store across instances', () => {
  let redis: RedisServer;
  let url: string;
  const open = async (u = url) => {
    const s = await openStore<Job>(u, { redis: timings });
    stores.push(s);
    return s;
  };
  const collect = (s: Store<Job>, decide: (j: QueuedJob<Job>) => Outcome = () => ({ kind: 'done' })) => {
    const seen: (QueuedJob<Job> & { at: number })[] = [];
    const consumer = s.queue.consume(async (j) => (seen.push({ ...j, at: Date.now() }), decide(j)), { concurrency: 2 });
    return { seen, consumer };
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    url = `${redis.url}?prefix=it${++prefixes}:`;
  });
  beforeAll(() => {
    url = `${redis.url}?prefix=it${++prefixes}:`;
  });

  it('records a delivery racing on three instances once, and runs its job once', async () => {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const runs = [a!, b!, c!].map((s) => collect(s));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => [a!, b!, c!][i % 3]!.recorder.record(event('e1'), [{ id: 'j1', data: { n: 1 } }], opts)),
    );
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
    await until(() => runs.some((r) => r.seen.length > 0));
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.flatMap((r) => r.seen).map((j) => j.id)).toEqual(['j1']);
    expect(await c!.events.get({ source: 'gh', id: 'e1' })).toMatchObject({ id: 'e1' });
  });

  it('runs on instance B a job enqueued by instance A, reporting attempts across them', async () => {
    const a = await open();
    const b = await open();
    await a.queue.enqueue([{ id: 'x:1', data: { n: 1 } }]);
    await a.queue.enqueue([{ id: 'x:1', data: { n: 1 } }]);
    const { seen, consumer } = collect(b, (j) => (j.attempt < 2 ? { kind: 'retry', afterMs: 400, reason: 'flaky' } : { kind: 'done' }));
    await until(() => seen.length === 2);
    expect(seen.map((j) => [j.id, j.attempt, j.lastError])).toEqual([
      ['x:1', 1, undefined],
      ['x:1', 2, 'flaky'],
    ]);
    // Our delay wins over any BullMQ backoff: the second try waits at least as long as asked.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(350);
    await consumer.close();
  });

  it('a free retry keeps the attempt number across instances; every run sees when the job was first queued', async () => {
    const a = await open();
    const b = await open();
    const before = Date.now();
    await a.queue.enqueue([{ id: 'free:1', data: { n: 1 } }]);
    const { seen, consumer } = collect(b, (j) => (j.attempt === 1 && !j.lastError ? { kind: 'retry', afterMs: 50, reason: 'later', free: true } : j.lastError === 'later' ? { kind: 'retry', afterMs: 50, reason: 'boom' } : { kind: 'done' }));
    await until(() => seen.length === 3);
    expect(seen.map((j) => [j.attempt, j.lastError])).toEqual([
      [1, undefined],
      [1, 'later'],
      [2, 'boom'],
    ]);
    expect(seen[0]!.queuedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(new Set(seen.map((j) => j.queuedAt)).size).toBe(1);
    await consumer.close();
  });

  it('dead-letters on one instance, lists and redrives on another', async () => {
    const a = await open();
    const b = await open();
    const { seen, consumer } = collect(a, (j) => (j.data.n === 1 && seen.length === 1 ? { kind: 'dead', reason: 'channel_not_found' } : { kind: 'done' }));
    await a.queue.enqueue([{ id: 'd1', data: { n: 1 } }]);
    await until(async () => (await b.queue.depth()).dead === 1);
    const [dead] = await b.queue.deadLetters(10);
    expect(dead).toMatchObject({ id: 'd1', data: { n: 1 }, attempt: 1, lastError: 'channel_not_found' });
    expect(await b.queue.redrive('d1')).toBe(true);
    expect(await b.queue.redrive('d1')).toBe(false);
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ id: 'd1', attempt: 1 });
    await until(async () => (await b.queue.depth()).dead === 0);
    await consumer.close();
  });

  it('hands the job of a SIGKILLed consumer to another instance', async () => {
    const child = spawnHangingConsumer(url);
    try {
      const a = await open();
      await a.queue.enqueue([{ id: 'k1', data: { n: 7 } }]);
      await child.started;
      child.proc.kill('SIGKILL');
      const { seen, consumer } = collect(a);
      await until(() => seen.length === 1, 10_000);
      expect(seen[0]).toMatchObject({ id: 'k1', data: { n: 7 }, attempt: 1 });
      await consumer.close();
    } finally {
      child.proc.kill('SIGKILL');
    }
  });

  it('lets an in-flight job finish on close, and hands back one that outlives the close timeout', async () => {
    const a = await open();
    const b = await open();
    const release: (() => void)[] = [];
    const started: string[] = [];
    const consumer = a.queue.consume(async (j) => (started.push(j.id), await new Promise<void>((r) => release.push(r)), { kind: 'done' }), { concurrency: 2 });
    await a.queue.enqueue([{ id: 'g1', data: { n: 1 } }]);
    await until(() => started.length === 1);
    const closing = consumer.close(5_000);
    release[0]!();
    await closing;
    expect(await a.queue.depth()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });

    const again = a.queue.consume(async (j) => (started.push(j.id), new Promise<Outcome>(() => undefined)), { concurrency: 1 });
    await a.queue.enqueue([{ id: 'g2', data: { n: 2 } }]);
    await until(() => started.includes('g2'));
    await again.close(100);
    const { seen, consumer: other } = collect(b);
    await until(() => seen.length === 1, 10_000);
    expect(seen[0]).toMatchObject({ id: 'g2', attempt: 1 });
    expect(started.filter((id) => id === 'g1')).toHaveLength(1);
    await other.close();
  });

  it('relays jobs whose instance died between the atomic write and the queue add', async () => {
    const { connection, prefix } = redisConnection(url);
    const backend = await RedisBackend.open(connection, { prefix: prefix! });
    const crashed = new RedisOutbox<Job>(backend, { enqueue: () => Promise.reject(new Error('process died')) });
    expect(await crashed.record(event('o1'), [{ id: 'oj1', data: { n: 1 } }], opts)).toBe('new');
    await backend.close();
    const b = await open();
    const { seen, consumer } = collect(b);
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: 'oj1', attempt: 1 });
    expect(await b.recorder.record(event('o1'), [{ id: 'oj1', data: { n: 1 } }], opts)).toBe('duplicate');
    await consumer.close();
  });
});

describe.skipIf(!redisAvailable())('redis store during an outage', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await redis?.stop();
  });

  it('rejects fast while Redis is down and resumes when it is back, without reopening', async () => {
    const s = await openStore<Job>(redis.url, { redis: timings });
    stores.push(s);
    const seen: string[] = [];
    const consumer = s.queue.consume(async (j) => (seen.push(j.id), { kind: 'done' }), { concurrency: 1 });
    expect(await s.recorder.record(event('before'), [{ id: 'j-before', data: { n: 1 } }], opts)).toBe('new');
    await until(() => seen.length === 1);

    await redis.kill();
    expect(await within(s.ping(), 2_000)).toBe('rejected');
    expect(await within(s.recorder.record(event('during'), [], opts), 2_000)).toBe('rejected');
    expect(await within(s.refs.get('k', 't'), 2_500)).toBe('rejected');

    await redis.restart();
    await until(async () => (await within(s.ping(), 1_000)) === 'resolved', 10_000);
    expect(await s.recorder.record(event('after'), [{ id: 'j-after', data: { n: 2 } }], opts)).toBe('new');
    await until(() => seen.includes('j-after'), 10_000);
    await s.refs.put('k', 't', { platform: 'console', channel: 'console', id: '1' });
    expect(await s.refs.get('k', 't')).toMatchObject({ id: '1' });
    await consumer.close();
  });
});

/** A separate process that takes one job and never finishes it, then waits to be killed. */
function spawnHangingConsumer(url: string) {
  const store = fileURLToPath(new URL('../../src/store/open-store.ts', import.meta.url));
  const code = `
    import { openStore } from ${JSON.stringify(store)};
    const s = await openStore(${JSON.stringify(url)}, { redis: ${JSON.stringify(timings)} });
    s.queue.consume(async () => { process.stdout.write('started\\n'); return new Promise(() => {}); }, { concurrency: 1 });
  `;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
    proc.once('exit', (c) => reject(new Error(`consumer exited early (${c})`)));
  });
  return { proc, started };
}
