import { ChatError } from '../../chat/target.js';
import { redact } from '../../chat/classify.js';
import type { NeutralMessage, Platform } from '../../render/message.js';
import type { StoredEvent } from '../../store/types.js';
import type { Delivery } from '../delivery.js';
import type { DeliveryJob } from '../job.js';
import type { Stage } from '../stage.js';

/** May be async: chat-ops state (acks, mutes) is read from the store and merged into the message. */
export type RenderFn = (event: StoredEvent, job: DeliveryJob, platform: Platform) => NeutralMessage | Promise<NeutralMessage>;

/** Renders for the target's platform (templates escape per platform). */
export function renderStage(render: RenderFn): Stage<Delivery> {
  return {
    name: 'render',
    async run(d) {
      try {
        return { ...d, message: await render(d.event, d.job, d.target.platform) };
      } catch (err) {
        // Already classified (e.g. the store holding acks and mutes was unreachable): keep its verdict.
        if (err instanceof ChatError) throw err;
        // A template that throws will throw again: dead-letter it now; replay after the fix.
        const text = err instanceof Error ? err.message : String(err);
        throw new ChatError(redact(`render: ${text}`), 'invalid_message', false, undefined, { cause: err });
      }
    },
  };
}
