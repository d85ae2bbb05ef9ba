import type Keyv from 'keyv';

export interface ProviderSilence {
  /** The provider's silence id. */
  readonly id: string;
  /** Message key of the alert group it silences. */
  readonly key: string;
  readonly provider: string;
  readonly by: string;
  /** ISO time the silence (and the mute that made it) ends. */
  readonly until: string;
  /** ISO time it began (absent in records from before it was kept): an extension must repeat it. */
  readonly startsAt?: string;
}

/**
 * Silences a Mute made at the provider, per source, kept beside the mute and for as long as it:
 * unmute expires them at the provider, and messages show the one for their group.
 */
export class ProviderSilences {
  constructor(
    private readonly kv: Keyv,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(source: string): Promise<ProviderSilence[]> {
    const all = (await this.kv.get<ProviderSilence[]>(`provider-silences:${source}`)) ?? [];
    return all.filter((s) => Date.parse(s.until) > this.now().getTime());
  }

  async forKey(source: string, keys: readonly string[]): Promise<ProviderSilence | undefined> {
    return (await this.list(source)).find((s) => keys.includes(s.key));
  }

  /** Adds a silence; one with the id in `replaces` (an extended silence's earlier version) is dropped. */
  async add(source: string, silence: ProviderSilence, replaces?: string): Promise<void> {
    const all = [...(await this.list(source)).filter((s) => s.id !== replaces && s.id !== silence.id), silence];
    const last = Math.max(...all.map((s) => Date.parse(s.until)));
    await this.kv.set(`provider-silences:${source}`, all, Math.max(1, last - this.now().getTime()));
  }

  /** Forgets them all and answers what there was (unmute then expires each at the provider). */
  async take(source: string): Promise<ProviderSilence[]> {
    const all = await this.list(source);
    await this.kv.delete(`provider-silences:${source}`);
    return all;
  }
}
