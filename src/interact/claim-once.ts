import type Keyv from 'keyv';
import type { KeyLock } from '../delivery/key-lock.js';

/**
 * Keyv has no set-if-absent: the read and the write run under `lock` (the store's lock shared by
 * every instance in Redis mode, else one for this process), so of concurrent claims on one key
 * exactly one writes. Answers the value that already stood, or undefined when this claim wrote.
 */
export function claimOnce<T>(kv: Keyv, lock: KeyLock, key: string, value: T, ttlMs: number): Promise<T | undefined> {
  return lock.run(key, async () => {
    const existing = await kv.get<T>(key);
    if (existing !== undefined) return existing;
    await kv.set(key, value, ttlMs);
    return undefined;
  });
}
