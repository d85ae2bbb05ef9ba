import type Keyv from 'keyv';

export interface Ack {
  readonly by: string;
  readonly byId: string;
  readonly platform: string;
  /** ISO time. */
  readonly at: string;
}

/** Who acknowledged the message of a lifecycle key first; kept as long as the message references. */
export class AckStore {
  constructor(
    private readonly kv: Keyv,
    private readonly ttlMs = 30 * 86_400_000,
  ) {}

  get(key: string): Promise<Ack | undefined> {
    return this.kv.get<Ack>(`ack:${key}`);
  }

  /**
   * Records the ack unless one exists and answers with the ack that stands. Keyv has no
   * set-if-absent, so two clicks in the same instant may both win; the later write is then what
   * every copy shows, which is harmless.
   */
  async claim(key: string, ack: Ack): Promise<{ first: boolean; ack: Ack }> {
    const existing = await this.get(key);
    if (existing) return { first: false, ack: existing };
    await this.kv.set(`ack:${key}`, ack, this.ttlMs);
    return { first: true, ack };
  }
}
