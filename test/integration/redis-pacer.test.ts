/**
 * Per-channel pacing shared across instances on a real Redis: two instances sending to one channel
 * together keep to the channel's limit, as one instance does alone.
 */
import { describe, expect, it } from 'vitest';
import { redisPacer } from '../../src/store/redis-pacer.js';
import { useRedisClients } from '../helpers/redis-clients.js';
import { redisAvailable } from '../helpers/redis-server.js';

describe.skipIf(!redisAvailable())('redis pacer', () => {
  const r = useRedisClients();
  const client = () => r.client();

  it('gives two instances one timeline per channel: every window holds at most `count` sends', async () => {
    const limit = { count: 2, perMs: 500 };
    const instances = [redisPacer(client(), 'pace1:'), redisPacer(client(), 'pace1:')];
    const delays = await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 2]!.wait('slack:C1', limit)));
    // 8 sends at 2 per 500 ms, reserved within a moment of each other: two slots per window, four
    // windows. Rounding to windows absorbs the few ms between the reservations.
    expect(delays.map((d) => Math.round(d / limit.perMs)).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('keeps channels apart, and leaves unpaced platforms alone', async () => {
    const p = redisPacer(client(), 'pace2:');
    const limit = { count: 1, perMs: 1000 };
    expect(await p.wait('slack:C1', limit)).toBe(0);
    expect(await p.wait('slack:C2', limit)).toBe(0);
    expect(await p.wait('console:x', undefined)).toBe(0);
  });

  it('paces in process when Redis is gone, instead of holding the send', async () => {
    const c = client();
    const p = redisPacer(c, 'pace3:');
    c.disconnect();
    const limit = { count: 1, perMs: 200 };
    const delays = await Promise.all([p.wait('slack:C1', limit), p.wait('slack:C1', limit)]);
    expect(delays.sort((a, b) => a - b)).toEqual([0, 200]);
  });
});
