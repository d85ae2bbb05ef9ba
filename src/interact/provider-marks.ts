import type Keyv from 'keyv';

export type ProviderAction = 'ack' | 'resolve';

export interface ProviderMark {
  readonly by: string;
  readonly ok: boolean;
  /** ISO time. */
  readonly at: string;
  /** The provider acted on ("PagerDuty"). */
  readonly provider: string;
  /** What happened, for people (never a token). */
  readonly detail: string;
}

/**
 * The last outcome of an Ack or Resolve made at the provider, per message key, so every re-render
 * (the provider's own follow-up webhook included) shows it, and a failed call never reads as done.
 */
export class ProviderMarks {
  constructor(
    private readonly kv: Keyv,
    private readonly ttlMs = 30 * 86_400_000,
  ) {}

  get(action: ProviderAction, key: string): Promise<ProviderMark | undefined> {
    return this.kv.get<ProviderMark>(`provider-mark:${action}:${key}`);
  }

  async set(action: ProviderAction, key: string, mark: ProviderMark): Promise<void> {
    await this.kv.set(`provider-mark:${action}:${key}`, mark, this.ttlMs);
  }
}
