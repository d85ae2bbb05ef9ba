import { describe, expect, it } from 'vitest';
import { redisConnection } from '../../../src/store/redis-store.js';

describe('redisConnection', () => {
  it.each([
    ['redis://127.0.0.1:6390/2', { host: '127.0.0.1', port: 6390, db: 2 }, 'redis://127.0.0.1:6390/2', undefined],
    ['redis://cache', { host: 'cache', port: 6379, db: 0 }, 'redis://cache:6379/0', undefined],
    ['redis://:s%40cret@r:1/0?prefix=hb2:', { host: 'r', port: 1, db: 0, password: 's@cret' }, 'redis://r:1/0', 'hb2:'],
    ['rediss://bot:pw@r.example:6380/1', { host: 'r.example', port: 6380, db: 1, username: 'bot', password: 'pw', tls: {} }, 'rediss://r.example:6380/1', undefined],
  ])('%s', (url, connection, location, prefix) => {
    const out = redisConnection(url);
    expect(out.connection).toEqual(connection);
    expect(out.location).toBe(location);
    expect(out.prefix).toBe(prefix);
  });

  it('never prints credentials in the location', () => {
    expect(redisConnection('redis://user:hunter2@h:1/0').location).not.toContain('hunter2');
  });

  it('reads the lock timings from lockMs, stalledMs and keyLockMs', () => {
    expect(redisConnection('redis://h:1/0?prefix=p:&lockMs=2000&stalledMs=500&keyLockMs=9000').timings).toEqual({
      lockDurationMs: 2000,
      stalledIntervalMs: 500,
      keyLockTtlMs: 9000,
    });
    expect(redisConnection('redis://h:1/0').timings).toBeUndefined();
    expect(() => redisConnection('redis://h:1/0?lockMs=soon')).toThrow(/lockMs/);
  });

  it('rejects a database that is not a number', () => {
    expect(() => redisConnection('redis://h:1/abc')).toThrow(/database/);
  });
});
