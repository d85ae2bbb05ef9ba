import type Keyv from 'keyv';
import type { Mute, MuteStore } from './types.js';

/** Mutes per source, expiring on their own: Keyv's TTL ends a mute on time. */
export class KeyvMuteStore implements MuteStore {
  constructor(
    private readonly kv: Keyv,
    private readonly now: () => number = Date.now,
  ) {}

  async get(source: string): Promise<Mute | undefined> {
    const m = await this.kv.get<Mute>(`mute:${source}`);
    return m && Date.parse(m.until) > this.now() ? m : undefined;
  }

  async set(m: Mute): Promise<void> {
    await this.kv.set(`mute:${m.source}`, m, Math.max(1, Date.parse(m.until) - this.now()));
    const index = new Set((await this.kv.get<string[]>('mute:\u0000index')) ?? []);
    index.add(m.source);
    await this.kv.set('mute:\u0000index', [...index]);
  }

  async clear(source: string): Promise<boolean> {
    return this.kv.delete(`mute:${source}`);
  }

  async list(): Promise<Mute[]> {
    const index = (await this.kv.get<string[]>('mute:\u0000index')) ?? [];
    const all = await Promise.all(index.map((s) => this.get(s)));
    return all.filter((m): m is Mute => m !== undefined);
  }
}
