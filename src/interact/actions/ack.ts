import { formatUtc } from '../../render/helpers/time.js';
import { findCopies, refreshCopies } from '../message-copies.js';
import { actor, type ActionContext } from './action-context.js';
import { acknowledgeAtProvider } from './provider-ack.js';

/** "I'm on it": the first ack is shown on every copy; a later one is told privately who was first. */
export async function ack(c: ActionContext): Promise<void> {
  const { deps, ix, event } = c;
  const { key } = await findCopies(deps, event);
  const at = deps.now().toISOString();
  const claim = await deps.acks.claim(key, { by: actor(c), byId: ix.user.id, platform: ix.platform, at });
  if (!claim.first) {
    const who = claim.ack.byId === ix.user.id && claim.ack.platform === ix.platform ? 'you' : claim.ack.by;
    await ix.reply({ visibility: 'private', text: `Already acknowledged by ${who} at ${formatUtc(new Date(claim.ack.at))}.` });
    return;
  }
  await deps.audit.append({ at, platform: ix.platform, userId: ix.user.id, user: actor(c), action: 'ack', subject: `${event.source}/${event.id}` });
  const atProvider = await acknowledgeAtProvider(c, key);
  const r = await refreshCopies(deps, event, ix);
  if (atProvider && !atProvider.ok) {
    await ix.reply({ visibility: 'thread', text: `⚠️ Acknowledged here by ${actor(c)}, but ${atProvider.provider} was not told: ${atProvider.detail}` });
  }
  if (r.failed > 0) {
    await ix.reply({ visibility: 'private', text: `Acknowledged. ${r.failed} cop${r.failed === 1 ? 'y' : 'ies'} of the message could not be updated.` });
  }
}
