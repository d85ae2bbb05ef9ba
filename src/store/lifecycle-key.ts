import type { StoredEvent } from './types.js';

type Keyed = Pick<StoredEvent, 'source' | 'id' | 'correlationKey'>;

/** The key of one event's own message. */
export const ownMessageKey = (e: Keyed): string => `${e.source}/${e.id}`;

/**
 * The key a lifecycle's message and chat-ops state are kept under: the provider's correlation key
 * within its source, else the event's own key. Scoped by source because providers' keys are only
 * unique within one installation: two Alertmanagers (prod and staging) give the same group key for
 * the same alert, and two GitLab instances the same project and pipeline ids; their messages must
 * not update each other. Source ids hold no `:`, so the scope cannot run into the key.
 */
export function lifecycleKey(e: Keyed): string {
  return e.correlationKey !== undefined && e.correlationKey !== '' ? `${e.source}:${e.correlationKey}` : ownMessageKey(e);
}
