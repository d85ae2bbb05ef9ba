import type { ActionName } from '../render/message.js';
import type { EventRef } from '../store/types.js';

/**
 * Button ids carry the action and the event they act on, nothing secret:
 * `hb:<action>:<source>:<event id>`. Source ids are at most 40 characters and event ids at most
 * 48 (longer ones are hashed at ingest), so the id fits Discord's 100-character custom_id.
 */
const ACTIONS: readonly ActionName[] = ['ack', 'retry', 'mute', 'resolve'];

export function encodeActionId(action: ActionName, ref: EventRef): string {
  return `hb:${action}:${ref.source}:${ref.id}`;
}

export function decodeActionId(id: string): { action: ActionName; ref: EventRef } | undefined {
  const m = /^hb:([a-z]+):([A-Za-z0-9_.-]+):(.+)$/.exec(id);
  if (!m || !ACTIONS.includes(m[1] as ActionName)) return undefined;
  return { action: m[1] as ActionName, ref: { source: m[2]!, id: m[3]! } };
}
