import type Keyv from 'keyv';
import { formatUtc } from '../render/helpers/time.js';
import type { StoredEvent } from '../store/types.js';
import type { MessageState } from './message-state.js';
import { ProviderMarks } from './provider-marks.js';
import { ProviderSilences } from './provider-silences.js';

async function firstOf<T>(keys: readonly string[], get: (k: string) => Promise<T | undefined>): Promise<T | undefined> {
  for (const k of keys) {
    const v = await get(k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * What Ack, Resolve and Mute did at the provider, as message state: "Resolved by" only for a call
 * the provider accepted; a failed call is shown as failed and leaves the button usable.
 */
export async function providerState(kv: Keyv, now: () => Date, event: StoredEvent, keys: readonly string[]): Promise<Pick<MessageState, 'status'> & { buttons: NonNullable<MessageState['buttons']> }> {
  const marks = new ProviderMarks(kv);
  const status: string[] = [];
  const buttons: NonNullable<MessageState['buttons']> = {};
  const ack = await firstOf(keys, (k) => marks.get('ack', k));
  if (ack && !ack.ok) status.push(`⚠️ ${ack.provider} was not told of the ack: ${ack.detail}`);
  const resolved = await firstOf(keys, (k) => marks.get('resolve', k));
  if (resolved?.ok) {
    status.push(`☑️ Resolved in ${resolved.provider} by ${resolved.by} at ${formatUtc(new Date(resolved.at))}`);
    buttons.resolve = { label: `Resolved by ${resolved.by}`.slice(0, 75), disabled: true };
  } else if (resolved) {
    status.push(`⚠️ Resolve by ${resolved.by} failed: ${resolved.detail}`);
    buttons.resolve = { label: 'Resolve (failed)' };
  }
  const silence = await new ProviderSilences(kv, now).forKey(event.source, keys);
  if (silence) status.push(`🔇 Silenced in ${silence.provider} by ${silence.by} until ${formatUtc(new Date(silence.until))} (silence ${silence.id})`);
  return { status, buttons };
}
