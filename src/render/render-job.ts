import type { DeliveryJob } from '../delivery/job.js';
import { encodeActionId } from '../interact/action-id.js';
import { checkPayload } from '../sources/schemas/check-payload.js';
import type { StoredEvent } from '../store/types.js';
import { escapeFor } from './escape.js';
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

/**
 * Renders a delivery job's event with its provider's templates and the route's buttons. A payload
 * without the fields its templates rely on (a provider changed its shape) is shown with the
 * provider's default template and a note naming what is missing, instead of a half-empty message.
 */
export function renderJob(
  renderer: () => Renderer,
  providerOf: (sourceId: string) => string,
  now: () => Date,
  o: { log?: { warn(obj: object, msg: string): void } } = {},
): (event: StoredEvent, job: DeliveryJob, platform: Platform) => NeutralMessage {
  return (event, job, platform) => {
    const provider = providerOf(event.source);
    const check = checkPayload(provider, event.type, event.payload);
    if (check.ok) return renderWith(renderer(), provider, event, job, platform, now(), job.template);
    o.log?.warn({ eventId: event.id, source: event.source, type: event.type, target: job.target, missing: check.missing }, 'payload did not match the expected shape; rendered with the default template');
    const msg = renderWith(renderer(), provider, event, job, platform, now(), `${provider}/default`);
    const note = escapeFor(platform)(`⚠ payload did not match the expected shape: missing ${check.missing.join(', ')}`);
    return { ...msg, text: msg.text ? `${note}\n\n${msg.text}` : note };
  };
}

function renderWith(
  r: Renderer,
  provider: string,
  event: StoredEvent,
  job: DeliveryJob,
  platform: Platform,
  now: Date,
  template: string | undefined,
): NeutralMessage {
  return r.render({
    provider,
    event: {
      source: event.source,
      id: event.id,
      type: event.type,
      receivedAt: event.receivedAt,
      ...(event.version !== undefined && { version: event.version }),
    },
    payload: event.payload,
    ...(template !== undefined && { template }),
    platform,
    actions: actionsFor(job.actions ?? [], event),
    now,
  });
}
