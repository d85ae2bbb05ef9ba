import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { Backend } from './backend.js';

/** Backend rows holding Keyv entries start with this; the rest of the key is Keyv's own (`hb:mute:…`). */
export const KV_PREFIX = 'kv:';

/** The namespace of hookbridge's Keyv state in every store; Keyv puts it before each key. */
export const KEYV_NAMESPACE = 'hb';

/**
 * A Keyv store on the rows of a Backend, for the embedded SQLite store: the Keyv state (mutes,
 * acks, audit, marks) shares the backend's one connection and its prepared statements. A second
 * connection writing the same file would meet SQLITE_BUSY, whose busy handler sleeps while holding
 * that connection, so every read queued behind it (a mute check on the delivery path) would wait too.
 *
 * Keyv serialises values and checks their expiry itself; the row's own expiry only lets the
 * backend's sweep drop entries nobody reads again.
 */
export class BackendKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};
  namespace?: string;

  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return (await this.backend.get(KV_PREFIX + key, this.now())) as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<void> {
    await this.backend.put([{ key: KV_PREFIX + key, value, ...(ttl !== undefined && ttl > 0 && { expires: this.now() + ttl }) }]);
  }

  async delete(key: string): Promise<boolean> {
    const existed = (await this.backend.get(KV_PREFIX + key, this.now())) !== undefined;
    await this.backend.delete([KV_PREFIX + key]);
    return existed;
  }

  async clear(): Promise<void> {
    const rows = await this.backend.scan(KV_PREFIX + (this.namespace ? `${this.namespace}:` : ''), this.now());
    await this.backend.delete(rows.map((r) => r.key));
  }
}
