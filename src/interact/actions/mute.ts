import { formatUtc } from '../../render/helpers/time.js';
import { findCopies, refreshCopies } from '../message-copies.js';
import { actor, type ActionContext } from './action-context.js';
import { silenceAtProvider } from './provider-mute.js';

/** How long the Mute button silences a source (the command takes any duration). */
export const BUTTON_MUTE_MS = 3_600_000;

/** Silences the event's source for an hour; its events are still recorded and replayable. */
export async function mute(c: ActionContext): Promise<void> {
  const { deps, ix, event } = c;
  const now = deps.now();
  const until = new Date(now.getTime() + BUTTON_MUTE_MS).toISOString();
  await deps.store.mutes.set({ source: event.source, until, by: actor(c) });
  const silence = await silenceAtProvider(c, (await findCopies(deps, event)).key, now, new Date(until));
  const silenced = silence?.ok && silence.id ? `; ${silence.provider} silence ${silence.id}` : '';
  await deps.audit.append({ at: now.toISOString(), platform: ix.platform, userId: ix.user.id, user: actor(c), action: 'mute', subject: event.source, detail: `until ${until}${silenced}` });
  const r = await refreshCopies(deps, event, ix);
  if (silence && !silence.ok) {
    const standing = silence.standing ?? `no silence was set in ${silence.provider}`;
    await ix.reply({ visibility: 'thread', text: `⚠️ Muted \`${event.source}\` here by ${actor(c)}, but ${standing}: ${silence.detail}` });
  }
  if (r.updated === 0) await ix.reply({ visibility: 'private', text: `Muted \`${event.source}\` until ${formatUtc(new Date(until))}${silenced ? ` (${silence!.detail})` : ''}.` });
}
