import { escapeFor } from '../render/escape.js';
import { formatUtc } from '../render/helpers/time.js';
import type { ActionName, NeutralMessage, Platform } from '../render/message.js';
import type { Store } from '../store/open-store.js';
import { lifecycleKey, ownMessageKey } from '../store/lifecycle-key.js';
import type { StoredEvent } from '../store/types.js';
import { AckStore } from './acks.js';
import { providerState } from './provider-state.js';
import { RetryMarks } from './retry-marks.js';

/** Chat-ops state of a message: plain-text status lines and how its buttons look now. */
export interface MessageState {
  readonly status: string[];
  readonly ackedBy?: string;
  readonly buttons?: Partial<Record<ActionName, { readonly label: string; readonly disabled?: boolean }>>;
}

/** Keys under which a message's state may be kept: its lifecycle, then the event itself. */
export function stateKeys(event: Pick<StoredEvent, 'source' | 'id' | 'correlationKey'>): string[] {
  const own = ownMessageKey(event);
  const lifecycle = lifecycleKey(event);
  return lifecycle !== own ? [lifecycle, own] : [own];
}

/**
 * Reads what chat-ops did to an event's message, so any re-render (a later lifecycle event, an
 * ack elsewhere) keeps showing it.
 */
export function messageState(store: Pick<Store<unknown>, 'kv' | 'mutes'>, now: () => Date = () => new Date()) {
  const acks = new AckStore(store.kv);
  const retries = new RetryMarks(store.kv);
  return async (event: StoredEvent): Promise<MessageState> => {
    const status: string[] = [];
    const buttons: NonNullable<MessageState['buttons']> = {};
    const keys = stateKeys(event);
    const ack = await firstOf(keys, (k) => acks.get(k));
    if (ack) {
      status.push(`✅ Acknowledged by ${ack.by} at ${formatUtc(new Date(ack.at))}`);
      buttons.ack = { label: `Acked by ${ack.by}`.slice(0, 75), disabled: true };
    }
    const mute = await store.mutes.get(event.source);
    if (mute && Date.parse(mute.until) > now().getTime()) {
      status.push(`🔕 ${event.source} muted by ${mute.by} until ${formatUtc(new Date(mute.until))}${mute.reason ? ` (${mute.reason})` : ''}`);
      buttons.mute = { label: 'Muted', disabled: true };
    }
    const retry = await firstOf(keys, (k) => retries.get(k));
    if (retry) {
      status.push(retry.ok ? `🔁 Retry by ${retry.by}: ${retry.detail}` : `⚠️ Retry by ${retry.by} failed: ${retry.detail}`);
      buttons.retry = { label: retry.ok ? 'Retry again' : 'Retry (failed)' };
    }
    const atProvider = await providerState(store.kv, now, event, keys);
    status.push(...atProvider.status);
    Object.assign(buttons, atProvider.buttons);
    return { status, ...(ack && { ackedBy: ack.by }), buttons };
  };
}

async function firstOf<T>(keys: readonly string[], get: (k: string) => Promise<T | undefined>): Promise<T | undefined> {
  for (const k of keys) {
    const v = await get(k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Merges the state into a rendered message: status lines escaped for the platform, buttons restyled. */
export function applyMessageState(msg: NeutralMessage, state: MessageState, platform: Platform): NeutralMessage {
  const esc = escapeFor(platform);
  const actions = msg.actions.map((a) => {
    const b = state.buttons?.[a.action];
    return b ? { ...a, label: b.label, ...(b.disabled !== undefined && { disabled: b.disabled }) } : a;
  });
  const status = [...(msg.status ?? []), ...state.status.map(esc)];
  return { ...msg, actions, ...(status.length > 0 && { status }) };
}
