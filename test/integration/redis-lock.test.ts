/**
 * The per-lifecycle lock on a real Redis: a holder whose work outlives the TTL keeps the lock by
 * renewing it, and a holder that can no longer renew (cut off from Redis) lets it lapse.
 */
import { describe, expect, it } from 'vitest';
import { AckStore } from '../../src/interact/acks.js';
import { openStore } from '../../src/store/open-store.js';
import { redisKeyLock } from '../../src/store/redis-lock.js';
import { useRedisClients } from '../helpers/redis-clients.js';
import { redisAvailable } from '../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!redisAvailable())('redis lifecycle lock', () => {
  const r = useRedisClients();
  const client = () => r.client();

  it('keeps a second instance out for as long as the first one works, well past the TTL', async () => {
    const lost: string[] = [];
    const a = redisKeyLock(client(), { prefix: 'renew:', ttlMs: 300, onLost: (k) => lost.push(k) });
    const b = redisKeyLock(client(), { prefix: 'renew:', ttlMs: 300, waitMs: 5_000 });
    const order: string[] = [];
    const first = a.run('gh/run-1', async () => {
      order.push('a start');
      await sleep(1_200); // four TTLs
      order.push('a end');
    });
    await sleep(50);
    const second = b.run('gh/run-1', async () => void order.push('b'));
    await Promise.all([first, second]);
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(lost).toEqual([]);
  });

  it('lapses after the TTL when its holder cannot reach Redis', async () => {
    const lost: string[] = [];
    const holderClient = client();
    const a = redisKeyLock(holderClient, { prefix: 'lapse:', ttlMs: 300, onLost: (k) => lost.push(k) });
    const b = redisKeyLock(client(), { prefix: 'lapse:', ttlMs: 300, waitMs: 5_000 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let aRunning = false;
    const first = a.run('gh/run-2', async () => {
      aRunning = true;
      await held;
    });
    while (!aRunning) await sleep(5);
    // Renewals stop reaching Redis: a partitioned (or frozen) holder.
    holderClient.disconnect();
    const startedAt = Date.now();
    let bRan = false;
    await b.run('gh/run-2', async () => void (bRan = true));
    expect(bRan).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    release();
    await first;
    // Cut off, the holder cannot even learn that the lock changed hands; it only stops renewing.
    expect(lost).toEqual([]);
  });

  it('reports a lock that another instance took over while the holder still worked', async () => {
    const lost: string[] = [];
    const c = client();
    const a = redisKeyLock(c, { prefix: 'stolen:', ttlMs: 300, onLost: (k) => lost.push(k) });
    const first = a.run('gh/run-3', async () => {
      // Someone else owns the key now (as after a lapse): the next renewal must notice.
      await c.set('stolen:lock:gh/run-3', 'another-owner', 'PX', 5_000);
      await sleep(400);
    });
    await first;
    expect(lost).toEqual(['gh/run-3']);
    // Release is owner-checked: the other owner's lock survives.
    expect(await c.get('stolen:lock:gh/run-3')).toBe('another-owner');
  });

  it('gives one "first" ack when two instances take clicks on one message in the same instant', async () => {
    const url = `${r.url}?prefix=acks:`;
    const [one, two] = await Promise.all([openStore(url), openStore(url)]);
    try {
      const acks = [one, two].map((s) => new AckStore(s.kv, { lock: s.lock! }));
      const at = new Date().toISOString();
      const results = await Promise.all(
        ['ana', 'bo', 'cy', 'di', 'ed', 'fay'].map((by, i) => acks[i % 2]!.claim('alertmanager:{}:{alertname="HighErrorRate"}', { by, byId: by, platform: 'slack', at })),
      );
      expect(results.filter((r) => r.first)).toHaveLength(1);
      const winner = results.find((r) => r.first)!.ack.by;
      for (const r of results) expect(r.ack.by).toBe(winner);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
