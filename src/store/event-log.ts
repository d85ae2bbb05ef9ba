import type { Backend, Row } from './backend.js';
import type { EventLog, EventRef, StoredEvent } from './types.js';

export const EVENT_PREFIX = 'ev:';

export const eventKey = (ref: EventRef): string => `${EVENT_PREFIX}${ref.source}/${ref.id}`;

export function eventRow(e: StoredEvent, retentionMs: number, now: number): Row {
  return { key: eventKey(e), value: JSON.stringify(e), expires: now + retentionMs };
}

export class BackendEventLog implements EventLog {
  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = Date.now,
  ) {}

  async get(ref: EventRef): Promise<StoredEvent | undefined> {
    const raw = await this.backend.get(eventKey(ref), this.now());
    return raw === undefined ? undefined : (JSON.parse(raw) as StoredEvent);
  }

  async recent(source: string, o: { from?: Date; limit: number }): Promise<StoredEvent[]> {
    const rows = await this.backend.scan(`${EVENT_PREFIX}${source}/`, this.now());
    const from = o.from?.toISOString();
    return rows
      .map((r) => JSON.parse(r.value) as StoredEvent)
      .filter((e) => from === undefined || e.receivedAt >= from)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0))
      .slice(0, o.limit);
  }
}
