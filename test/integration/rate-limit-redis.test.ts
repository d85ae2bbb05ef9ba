import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const SECRET = 'shared-limit-secret';
let redis: RedisServer;
const apps: RunningHookbridge[] = [];

/** In Redis mode the limits are counted in Redis, so two instances enforce one limit together. */
describe.skipIf(!redisAvailable())('rate limits shared across instances on Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    const yaml = `
server: { rateLimit: { perIp: 6/m } }
store: { url: "${redis.url}" }
sources:
  gh: { type: github, secret: ${SECRET}, rateLimit: 100/m }
`;
    for (let i = 0; i < 2; i++) apps.push(await startHookbridge(configFrom(yaml), { deliver: false }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await redis?.stop();
  });

  it('answers 429 once the address has used its limit on either instance', async () => {
    const body = '{"zen":"shared"}';
    const signature = await sign(SECRET, body);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const app = apps[i % 2]!;
      const res = await fetch(`${app.url}/hooks/gh`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature },
      });
      statuses.push(res.status);
    }
    // Six for the address in total, three through each instance; a per-instance count would allow twelve.
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
  });
});
