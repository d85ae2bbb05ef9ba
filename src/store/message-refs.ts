import type Keyv from 'keyv';
import type { MessageRef } from '../chat/target.js';
import type { MessageRefs } from './types.js';

type RefMap = Record<string, MessageRef>;

/** Message references per correlation key, one Keyv entry holding every target's copy. */
export class KeyvMessageRefs implements MessageRefs {
  constructor(
    private readonly kv: Keyv,
    private readonly ttlMs: number,
  ) {}

  async get(key: string, target: string): Promise<MessageRef | undefined> {
    const map = (await this.kv.get<RefMap>(`ref:${key}`)) ?? {};
    return map[target];
  }

  async put(key: string, target: string, ref: MessageRef): Promise<void> {
    const map = (await this.kv.get<RefMap>(`ref:${key}`)) ?? {};
    map[target] = ref;
    await this.kv.set(`ref:${key}`, map, this.ttlMs);
  }

  async all(key: string): Promise<{ target: string; ref: MessageRef }[]> {
    const map = (await this.kv.get<RefMap>(`ref:${key}`)) ?? {};
    return Object.entries(map).map(([target, ref]) => ({ target, ref }));
  }
}
