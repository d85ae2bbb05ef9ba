/**
 * Ops notices across instances on a real Redis: one notice per quiet window between all instances,
 * and signature failures on one source counted together wherever they landed.
 */
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatTarget } from '../../src/chat/target.js';
import { createOpsAlerts } from '../../src/delivery/ops-alerts.js';
import type { DeliveryLog } from '../../src/delivery/stage.js';
import type { NeutralMessage } from '../../src/render/message.js';
import { redisNoticeState } from '../../src/store/redis-notice-state.js';
import { useRedisClients } from '../helpers/redis-clients.js';
import { redisAvailable } from '../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet: DeliveryLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!redisAvailable())('redis notice state', () => {
  const r = useRedisClients();

  it('admits one notice per quiet window between instances; the next one says how many were held back', async () => {
    const [a, b] = [redisNoticeState(r.client(), 'n1:'), redisNoticeState(r.client(), 'n1:')];
    const now = Date.now();
    expect(await a.admit('dead-letter\u0000gh', now, 400)).toEqual({ suppressed: 0 });
    expect(await b.admit('dead-letter\u0000gh', now, 400)).toBeUndefined();
    expect(await a.admit('dead-letter\u0000gh', now, 400)).toBeUndefined();
    // Another key has its own window.
    expect(await b.admit('dead-letter\u0000stripe', now, 400)).toEqual({ suppressed: 0 });
    await sleep(450);
    expect(await b.admit('dead-letter\u0000gh', now, 400)).toEqual({ suppressed: 2 });
    expect(await a.admit('dead-letter\u0000gh', now, 400)).toBeUndefined();
  });

  it('counts one source\'s failures on all instances toward one burst, then starts over', async () => {
    const [a, b] = [redisNoticeState(r.client(), 'n2:'), redisNoticeState(r.client(), 'n2:')];
    const burst = { count: 3, windowMs: 5_000 };
    const now = Date.now();
    expect(await a.countFailure('gh', now, burst)).toBeUndefined();
    expect(await b.countFailure('gh', now, burst)).toBeUndefined();
    expect(await b.countFailure('other', now, burst)).toBeUndefined();
    expect(await a.countFailure('gh', now, burst)).toBe(3);
    expect(await b.countFailure('gh', now, burst)).toBeUndefined();
  });

  it('forgets failures older than the window', async () => {
    const s = redisNoticeState(r.client(), 'n3:');
    const burst = { count: 2, windowMs: 200 };
    expect(await s.countFailure('gh', Date.now(), burst)).toBeUndefined();
    await sleep(250);
    expect(await s.countFailure('gh', Date.now(), burst)).toBeUndefined();
    expect(await s.countFailure('gh', Date.now(), burst)).toBe(2);
  });

  it('decides alone when Redis does not answer, rather than sending nothing', async () => {
    const c = r.client();
    const s = redisNoticeState(c, 'n4:');
    c.disconnect();
    expect(await s.admit('k', Date.now(), 60_000)).toEqual({ suppressed: 0 });
    expect(await s.admit('k', Date.now(), 60_000)).toBeUndefined();
  });

  it('two instances whose jobs dead-letter at once post one notice', async () => {
    const posted: NeutralMessage[] = [];
    const target: ChatTarget = {
      platform: 'slack',
      post: async (channel, msg) => (posted.push(msg), { platform: 'slack', channel, id: String(posted.length) }),
      update: async () => undefined,
      reply: async (ref) => ref,
    };
    const instance = () =>
      createOpsAlerts({
        config: () => ({ to: ['slack:#ops'], on: ['dead-letter'] }),
        targets: () => ({ target, channel: '#ops' }),
        log: quiet,
        now: () => new Date(),
        state: redisNoticeState(r.client(), 'n5:'),
      });
    const [one, two] = [instance(), instance()];
    const gone = new ChatError('slack: channel_not_found', 'not_found', false);
    const job = (id: string) => ({ v: 1 as const, event: { source: 'gh', id }, route: 'ci', target: 'slack:#ci' });
    await Promise.all([one.deadLetter(job('e1'), gone), two.deadLetter(job('e2'), gone), one.deadLetter(job('e3'), gone), two.deadLetter(job('e4'), gone)]);
    expect(posted).toHaveLength(1);
  });
});
