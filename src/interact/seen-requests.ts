import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import { createKeyLock, type KeyLock } from '../delivery/key-lock.js';
import { claimOnce } from './claim-once.js';

/**
 * Signed interaction requests already taken, by the hash of their body. Slack sends a request again
 * (`X-Slack-Retry-Num`) when our 200 did not reach it in time, with the same body (its trigger_id
 * and action_ts make each click and command unique), so a second copy must not run the work twice:
 * a Retry would re-run CI twice, a replay queue every event twice. Kept longer than Slack's retries
 * (the last comes about 5 minutes after the first) and the signature window.
 */
export class SeenRequests {
  private readonly lock: KeyLock;
  private readonly ttlMs: number;

  /** `lock`: the store's lock shared by every instance (Redis), else one for this process. */
  constructor(
    private readonly kv: Keyv,
    o: { lock?: KeyLock; ttlMs?: number } = {},
  ) {
    this.lock = o.lock ?? createKeyLock();
    this.ttlMs = o.ttlMs ?? 15 * 60_000;
  }

  /** True the first time this body is seen (on any instance sharing the store), false after. */
  async first(body: Buffer): Promise<boolean> {
    const key = `interaction-seen:${createHash('sha256').update(body).digest('hex')}`;
    return (await claimOnce(this.kv, this.lock, key, 1, this.ttlMs)) === undefined;
  }
}
