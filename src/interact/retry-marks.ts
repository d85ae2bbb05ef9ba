import type Keyv from 'keyv';

export interface RetryMark {
  readonly by: string;
  readonly ok: boolean;
  /** ISO time. */
  readonly at: string;
  /** What happened, for people (never a token or a URL with credentials). */
  readonly detail: string;
}

/** The last Retry outcome per message key, so the message (and later re-renders) show it. */
export class RetryMarks {
  constructor(
    private readonly kv: Keyv,
    private readonly ttlMs = 30 * 86_400_000,
  ) {}

  get(key: string): Promise<RetryMark | undefined> {
    return this.kv.get<RetryMark>(`retry-mark:${key}`);
  }

  async set(key: string, mark: RetryMark): Promise<void> {
    await this.kv.set(`retry-mark:${key}`, mark, this.ttlMs);
  }
}
