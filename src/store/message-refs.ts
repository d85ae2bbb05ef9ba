import type Keyv from 'keyv';
import type { MessageRef } from '../chat/target.js';
import type { Backend } from './backend.js';
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

export const REF_PREFIX = 'ref:';

/**
 * Message references as rows of the store's own backend (one row per key holding every target's
 * copy), for the embedded SQLite store: read and written by the backend's prepared statements on
 * its one connection, without the Keyv envelope, since the delivery path writes them for every
 * event. (They were once Keyv entries on a second connection, whose writes met ingest's with
 * SQLITE_BUSY and its busy handler's sleeps; SqliteBackend turns those into rows once, at open.)
 */
export class BackendMessageRefs implements MessageRefs {
  constructor(
    private readonly backend: Backend,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, target: string): Promise<MessageRef | undefined> {
    return (await this.stored(key))?.[target];
  }

  async put(key: string, target: string, ref: MessageRef): Promise<void> {
    const map = (await this.stored(key)) ?? {};
    map[target] = ref;
    const now = this.now();
    await this.backend.put([{ key: REF_PREFIX + key, value: JSON.stringify(map), expires: now + this.ttlMs }]);
  }

  async all(key: string): Promise<{ target: string; ref: MessageRef }[]> {
    return Object.entries((await this.stored(key)) ?? {}).map(([target, ref]) => ({ target, ref }));
  }

  private async stored(key: string): Promise<RefMap | undefined> {
    const raw = await this.backend.get(REF_PREFIX + key, this.now());
    return raw === undefined ? undefined : (JSON.parse(raw) as RefMap);
  }
}
