import type Keyv from 'keyv';
import { createKeyLock, type KeyLock } from '../delivery/key-lock.js';
import { claimOnce } from './claim-once.js';

export interface Ack {
  readonly by: string;
  readonly byId: string;
  readonly platform: string;
  /** ISO time. */
  readonly at: string;
}

/** Who acknowledged the message of a lifecycle key first; kept as long as the message references. */
export class AckStore {
  private readonly ttlMs: number;
  private readonly lock: KeyLock;

  /** `lock`: the store's lock shared by every instance (Redis), else one for this process. */
  constructor(
    private readonly kv: Keyv,
    o: { ttlMs?: number; lock?: KeyLock } = {},
  ) {
    this.ttlMs = o.ttlMs ?? 30 * 86_400_000;
    this.lock = o.lock ?? createKeyLock();
  }

  get(key: string): Promise<Ack | undefined> {
    return this.kv.get<Ack>(`ack:${key}`);
  }

  /**
   * Records the ack unless one exists and answers with the ack that stands: two clicks in the same
   * instant, on one instance or two, get exactly one "first".
   */
  async claim(key: string, ack: Ack): Promise<{ first: boolean; ack: Ack }> {
    const existing = await claimOnce(this.kv, this.lock, `ack:${key}`, ack, this.ttlMs);
    return existing ? { first: false, ack: existing } : { first: true, ack };
  }
}
