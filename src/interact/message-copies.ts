import type { MessageRef } from '../chat/target.js';
import type { DeliveryJob } from '../delivery/job.js';
import { plan } from '../pipeline/ingest.js';
import type { StoredEvent } from '../store/types.js';
import type { InteractDeps } from './interact-deps.js';
import type { Interaction } from './interaction.js';
import { applyMessageState, messageState, stateKeys } from './message-state.js';

export interface MessageCopies {
  /** The key the copies are stored under: chat-ops state for them is kept under it too. */
  readonly key: string;
  readonly copies: { target: string; ref: MessageRef }[];
}

/** Every posted copy of an event's message: under its lifecycle key, else under the event itself. */
export async function findCopies(deps: Pick<InteractDeps, 'store'>, event: StoredEvent): Promise<MessageCopies> {
  const keys = stateKeys(event);
  for (const key of keys) {
    const copies = await deps.store.refs.all(key);
    if (copies.length > 0) return { key, copies };
  }
  return { key: keys[0]!, copies: [] };
}

const sameRef = (a: MessageRef, b: MessageRef | undefined) => b !== undefined && a.platform === b.platform && a.channel === b.channel && a.id === b.id;

/**
 * Whether a clicked message is one we posted for this event (under any of its keys: a route with
 * `thread: new` keeps its copy under the event itself even when the lifecycle has others). The
 * button id names the event but comes back through the client, so it is believed only for a
 * message that shows that event.
 */
export async function isCopyOf(deps: Pick<InteractDeps, 'store'>, event: StoredEvent, message: MessageRef | undefined): Promise<boolean> {
  if (!message) return false;
  for (const key of stateKeys(event)) {
    if ((await deps.store.refs.all(key)).some((c) => sameRef(c.ref, message))) return true;
  }
  return false;
}

/**
 * Re-renders the event for each copy (with the route's own buttons and template for that
 * target) and applies the chat-ops state, so every channel on both platforms shows the same.
 * A copy that fails to update is logged and counted; the others still go out.
 */
export async function refreshCopies(deps: InteractDeps, event: StoredEvent, ix?: Interaction): Promise<{ updated: number; failed: number }> {
  const { copies } = await findCopies(deps, event);
  const state = await messageState(deps.store, deps.now)(event);
  const planned = plan(deps.runtime(), event).map((j) => j.data);
  const results = await Promise.all(
    copies
      .filter((c) => c.ref.platform !== 'console')
      .map(async (c) => {
        try {
          const job = jobFor(planned, c.target, event);
          const msg = applyMessageState(deps.render(event, job, c.ref.platform), state, c.ref.platform);
          if (ix?.updateOriginal && sameRef(c.ref, ix.message)) {
            try {
              return void (await ix.updateOriginal(msg));
            } catch (err) {
              // The interaction token is gone (15 minutes passed, or our deferred answer missed
              // Discord's 3 seconds); the bot's own token can still edit its message.
              deps.log.warn({ target: c.target, message: c.ref.id, err: err instanceof Error ? err.message : String(err) }, 'could not edit the clicked message through the interaction; editing it as the bot');
            }
          }
          const resolved = deps.targets(c.target);
          if (!resolved) throw new Error(`target ${c.target} is not configured`);
          await resolved.target.update(c.ref, msg);
        } catch (err) {
          deps.log.warn({ target: c.target, message: c.ref.id, err: err instanceof Error ? err.message : String(err) }, 'could not update a copy of the message');
          return false;
        }
        return true;
      }),
  );
  const updated = results.filter(Boolean).length;
  return { updated, failed: results.length - updated };
}

/** The job that posted this copy, as the current routes plan it; the buttons stay when routes changed since. */
function jobFor(planned: readonly DeliveryJob[], target: string, event: StoredEvent): DeliveryJob {
  const own = planned.find((j) => j.target === target);
  if (own) return own;
  const any = planned[0];
  return { v: 1, event: { source: event.source, id: event.id }, route: any?.route ?? 'chat-ops', target, actions: any?.actions ?? [] };
}
