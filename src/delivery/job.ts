import type { ActionName } from '../render/message.js';
import type { EventRef } from '../store/types.js';

/** A delivery job carries references only: the event is read from the log when the job runs. */
export interface DeliveryJob {
  readonly v: 1;
  readonly event: EventRef;
  /** Route name (or `#<index>` for unnamed routes). */
  readonly route: string;
  /** Target as written in config: `slack:#ci`, `discord:123`, `console`. */
  readonly target: string;
  /** Template override from the route. */
  readonly template?: string;
  readonly replay?: boolean;
  /**
   * What a later event of the same lifecycle does to the first message: `update` it in place
   * (default), update it and `reply` in its thread, or post a `new` message per event.
   */
  readonly thread?: 'update' | 'reply' | 'new';
  /** Buttons the route asks for. */
  readonly actions?: readonly ActionName[];
}

/** Stable job id: the same event, route and target never make two jobs. */
export function deliveryJobId(job: Pick<DeliveryJob, 'event' | 'route' | 'target' | 'replay'>, nonce = ''): string {
  return [job.event.source, job.event.id, job.route, job.target, job.replay ? `replay${nonce}` : '']
    .map(encodeURIComponent)
    .join('|');
}
