import type { DeliveryJob } from '../delivery/job.js';
import { encodeActionId } from '../interact/action-id.js';
import type { StoredEvent } from '../store/types.js';
import type { ActionName, MessageAction, NeutralMessage, Platform } from './message.js';
import type { Renderer } from './renderer.js';

const LABELS: Record<ActionName, Pick<MessageAction, 'label' | 'style'>> = {
  ack: { label: 'Ack', style: 'primary' },
  retry: { label: 'Retry' },
  mute: { label: 'Mute 1h', style: 'danger' },
  resolve: { label: 'Resolve' },
};

export function actionsFor(names: readonly ActionName[], event: StoredEvent): MessageAction[] {
  return names.map((action) => ({ action, ...LABELS[action], id: encodeActionId(action, event) }));
}

/** Renders a delivery job's event with its provider's templates and the route's buttons. */
export function renderJob(
  renderer: () => Renderer,
  providerOf: (sourceId: string) => string,
  now: () => Date,
): (event: StoredEvent, job: DeliveryJob, platform: Platform) => NeutralMessage {
  return (event, job, platform) =>
    renderer().render({
      provider: providerOf(event.source),
      event: {
        source: event.source,
        id: event.id,
        type: event.type,
        receivedAt: event.receivedAt,
        ...(event.version !== undefined && { version: event.version }),
      },
      payload: event.payload,
      ...(job.template !== undefined && { template: job.template }),
      platform,
      actions: actionsFor(job.actions ?? [], event),
      now: now(),
    });
}
