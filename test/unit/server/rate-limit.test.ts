import { describe, expect, it } from 'vitest';
import type { HookbridgeConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/log.js';
import { HttpError } from '../../../src/server/http-error.js';
import { rateLimits, type LimitKind } from '../../../src/server/rate-limit.js';

type Cfg = Pick<HookbridgeConfig, 'server' | 'sources'>;
const config = (rateLimit: Cfg['server']['rateLimit'], sources: Cfg['sources'] = {}): Cfg => ({
  server: { port: 0, host: '127.0.0.1', bodyLimit: 1024, trustProxy: [], ...(rateLimit && { rateLimit }) },
  sources,
});

function recorder() {
  const limited: string[] = [];
  const warnings: string[] = [];
  const log = { ...silentLogger, warn: (_o: unknown, msg: string) => void warnings.push(msg) } as unknown as typeof silentLogger;
  return { limited, warnings, log, onLimited: (s: string, l: LimitKind) => void limited.push(`${s}:${l}`) };
}

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof HttpError ? `${err.status} retry-after=${err.headers['retry-after']}` : String(err)),
  );

describe('rateLimits', () => {
  it('admits everything when nothing is configured', async () => {
    const limits = rateLimits(config(undefined), { log: silentLogger });
    for (let i = 0; i < 100; i++) expect(await outcome(limits.admit('gh', '1.2.3.4'))).toBe('ok');
  });

  it('limits per address, counts, and logs the block once', async () => {
    const r = recorder();
    const limits = rateLimits(config({ perIp: '3/m' }), r);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await outcome(limits.admit('gh', '1.2.3.4')));
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(results[3]).toMatch(/^429 retry-after=(59|60)$/);
    expect(await outcome(limits.admit('gh', '5.6.7.8'))).toBe('ok');
    expect(r.limited).toEqual(['gh:per_ip', 'gh:per_ip', 'gh:per_ip']);
    expect(r.warnings).toHaveLength(1);
  });

  it('lets a burst above the steady rate through, then refuses', async () => {
    const limits = rateLimits(config({ perIp: '2/m', burst: 3 }), { log: silentLogger });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await outcome(limits.admit('gh', '1.2.3.4')));
    expect(results.filter((x) => x === 'ok')).toHaveLength(5);
    expect(results[5]).toMatch(/^429/);
  });

  it('limits per source whatever the address', async () => {
    const r = recorder();
    const limits = rateLimits(config(undefined, { gh: { type: 'github', rateLimit: '2/h' }, other: { type: 'generic' } }), r);
    expect(await outcome(limits.admit('gh', '1.1.1.1'))).toBe('ok');
    expect(await outcome(limits.admit('gh', '2.2.2.2'))).toBe('ok');
    expect(await outcome(limits.admit('gh', '3.3.3.3'))).toMatch(/^429 retry-after=3[56]\d\d$/);
    expect(await outcome(limits.admit('other', '3.3.3.3'))).toBe('ok');
    expect(r.limited).toEqual(['gh:per_source']);
  });

  it('blocks an address after max failures, only that address, and logs the block once', async () => {
    const r = recorder();
    const limits = rateLimits(config({ failedAuth: { max: 3, window: 60_000, block: 600_000 } }), r);
    for (let i = 0; i < 2; i++) await limits.authFailed('gh', '6.6.6.6');
    expect(await outcome(limits.admit('gh', '6.6.6.6'))).toBe('ok');
    await limits.authFailed('gh', '6.6.6.6');
    expect(await outcome(limits.admit('gh', '6.6.6.6'))).toBe('429 retry-after=600');
    expect(await outcome(limits.admit('other', '6.6.6.6'))).toMatch(/^429/);
    expect(await outcome(limits.admit('gh', '7.7.7.7'))).toBe('ok');
    expect(r.warnings).toEqual(['address blocked after repeated authentication failures']);
    expect(r.limited).toEqual(['gh:failed_auth', 'other:failed_auth']);
  });

  it('keeps counts and blocks across a reload that leaves the limit unchanged, and resets a changed one', async () => {
    const fa = { failedAuth: { max: 1, window: 60_000, block: 600_000 } };
    const first = rateLimits(config(fa), { log: silentLogger });
    await first.authFailed('gh', '6.6.6.6');
    const same = rateLimits(config(fa), { log: silentLogger, previous: first });
    expect(await outcome(same.admit('gh', '6.6.6.6'))).toMatch(/^429/);
    const changed = rateLimits(config({ failedAuth: { max: 5, window: 60_000, block: 600_000 } }), { log: silentLogger, previous: same });
    expect(await outcome(changed.admit('gh', '6.6.6.6'))).toBe('ok');
  });

  it('lets traffic through when the limiter store fails', async () => {
    const broken = () => ({ consume: () => Promise.reject(new Error('redis down')) }) as never;
    const limits = rateLimits(config({ perIp: '1/s' }), { log: silentLogger, backend: broken });
    expect(await outcome(limits.admit('gh', '1.2.3.4'))).toBe('ok');
  });
});
