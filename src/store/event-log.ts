import type { Backend, Row } from './backend.js';
import type { EventLog, EventRef, StoredEvent } from './types.js';

export const EVENT_PREFIX = 'ev:';

export const eventKey = (ref: EventRef): string => `${EVENT_PREFIX}${ref.source}/${ref.id}`;

/**
 * `payloadJson`, when given, is the payload's own JSON text (the verified body): splicing it in
 * saves serialising a large payload a second time on the ingest path.
 */
export function eventRow(e: StoredEvent, retentionMs: number, now: number, payloadJson?: string): Row {
  const value = payloadJson === undefined ? JSON.stringify(e) : `{"payload":${payloadJson},${JSON.stringify({ ...e, payload: undefined }).slice(1)}`;
  return { key: eventKey(e), value, expires: now + retentionMs };
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
