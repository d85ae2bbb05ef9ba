import type Keyv from 'keyv';

export interface AuditEntry {
  /** ISO time. */
  readonly at: string;
  readonly platform: string;
  readonly userId: string;
  readonly user: string;
  readonly action: 'ack' | 'mute' | 'unmute' | 'replay' | 'retry' | 'resolve';
  /** What it acted on: a source id or `source/event id`. */
  readonly subject: string;
  readonly detail?: string;
}

const KEY = 'audit:log';

/** Who did what from chat, newest last, capped so the entry stays small. */
export class AuditLog {
  // Appends are read-modify-write on one entry; a queue keeps this process from losing its own.
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly kv: Keyv,
    private readonly max = 500,
  ) {}

  append(e: AuditEntry): Promise<void> {
    const next = this.#tail.then(async () => {
      const list = (await this.kv.get<AuditEntry[]>(KEY)) ?? [];
      list.push(e);
      await this.kv.set(KEY, list.slice(-this.max));
    });
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    return ((await this.kv.get<AuditEntry[]>(KEY)) ?? []).slice(-limit);
  }
}
