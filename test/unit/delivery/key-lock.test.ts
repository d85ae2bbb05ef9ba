import { describe, expect, it } from 'vitest';
import { createKeyLock } from '../../../src/delivery/key-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createKeyLock', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const lock = createKeyLock();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('k', job('a')), lock.run('k', job('b')), lock.run('k', job('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets different keys run side by side', async () => {
    const lock = createKeyLock();
    const log: string[] = [];
    await Promise.all(
      ['x', 'y'].map((k) =>
        lock.run(k, async () => {
          log.push(`${k} start`);
          await tick();
          log.push(`${k} end`);
        }),
      ),
    );
    expect(log).toEqual(['x start', 'y start', 'x end', 'y end']);
  });

  it('a failure is reported to its caller and does not block the next', async () => {
    const lock = createKeyLock();
    const failed = lock.run('k', async () => {
      throw new Error('boom');
    });
    const next = lock.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
