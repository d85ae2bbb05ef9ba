import type { DeliveryJob } from '../../delivery/job.js';
import type { Queue } from '../../store/queue.js';
import type { EventRef } from '../../store/types.js';
import type { ApiOutcome } from './api-call.js';

/** How many dead letters are searched for the event's failed deliveries. */
const SCAN = 1000;

/** Our own failed deliveries of this event go back to the queue; undefined when there are none. */
export async function redriveDeadLetters(queue: Queue<DeliveryJob>, ref: EventRef): Promise<ApiOutcome | undefined> {
  const dead = (await queue.deadLetters(SCAN)).filter((d) => d.data.event.source === ref.source && d.data.event.id === ref.id);
  if (dead.length === 0) return undefined;
  const back = await Promise.all(dead.map((d) => queue.redrive(d.id)));
  const moved = dead.filter((_, i) => back[i]).map((d) => d.data.target);
  if (moved.length === 0) return { ok: false, detail: 'the failed deliveries could not be re-queued (already retried?)' };
  return { ok: true, detail: `delivery to ${moved.join(', ')} queued again` };
}
