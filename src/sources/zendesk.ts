import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HmacScheme, readSignatures, signHmac, verifyHmac } from './verify/hmac.js';
import { checkTimestamp } from './verify/timestamped.js';

const config = z.strictObject({
  type: z.literal('zendesk'),
  secret: secrets.describe('signing secret of the Zendesk webhook (Admin Center › Webhooks › the webhook › Reveal secret); a list while rotating'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(300_000)
    .describe('how far the signed timestamp may be from our clock, either way (Zendesk documents none: 5m)'),
  ...commonSourceFields,
});

export type ZendeskConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'base64' };
const signatureHeader = 'x-zendesk-webhook-signature';
const timestampHeader = 'x-zendesk-webhook-signature-timestamp';
// Zendesk sends ISO 8601 to the second (2021-03-25T05:09:27Z); it is signed as that exact text.
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** base64 HMAC-SHA256 of timestamp + body, with no separator, then the tolerance window. */
function verifyZendesk(req: RawRequest, cfg: ZendeskConfig, now: Date): VerifyResult {
  const signatures = readSignatures(req, { ...scheme, header: signatureHeader });
  const timestamp = req.headers[timestampHeader]?.trim();
  if (!timestamp || signatures.length === 0) return { ok: false, reason: 'missing' };
  const at = Date.parse(timestamp);
  if (!isoTime.test(timestamp) || !Number.isFinite(at)) return { ok: false, reason: 'malformed' };
  const signed = verifyHmac(scheme, cfg.secret, [Buffer.from(timestamp, 'utf8'), req.body], signatures);
  return signed.ok ? checkTimestamp(at, now, cfg.tolerance) : signed;
}

const eventPrefix = 'zen:event-type:';

/**
 * Event subscriptions name the event in `type` (`zen:event-type:ticket.status_changed`); the
 * namespace is dropped so routes and templates say `ticket.status_changed` (`ticket.*`). Trigger
 * and automation webhooks send the body the admin wrote, which is about a ticket.
 */
export function zendeskEventType(payload: unknown): string {
  const type = readText(payload, 'type');
  if (!type) return 'ticket';
  return type.startsWith(eventPrefix) ? type.slice(eventPrefix.length) : type;
}

/** `ticket:<id>` from the event's subject (`zen:ticket:123`), its detail, or a trigger body's `ticket.id`. */
export function zendeskTicketId(payload: unknown): string | undefined {
  const subject = /^zen:ticket:(\d+)$/.exec(readText(payload, 'subject') ?? '');
  if (subject) return subject[1];
  if (zendeskEventType(payload).startsWith('ticket.')) return readText(payload, 'detail.id');
  return readText(payload, 'ticket.id') ?? readText(payload, 'ticket_id');
}

export const zendesk: SourceType<ZendeskConfig> = {
  type: 'zendesk',
  area: 'support',
  summary: 'Zendesk webhooks (event subscriptions such as ticket.status_changed, and trigger/automation webhooks)',
  verification: 'X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256 of timestamp + body>, X-Zendesk-Webhook-Signature-Timestamp within the tolerance',
  config,
  verify: verifyZendesk,
  describe(req, payload) {
    const ticket = zendeskTicketId(payload);
    const time = Date.parse(readText(payload, 'time') ?? '');
    const version = readText(payload, 'zendesk_event_version');
    return {
      // Zendesk may invoke a webhook more than once for one event; the invocation id stays the same.
      id: req.headers['x-zendesk-webhook-invocation-id']?.trim() || bodyHash(req.body),
      type: zendeskEventType(payload),
      ...(ticket && { correlationKey: `ticket:${ticket}` }),
      ...(Number.isFinite(time) && { occurredAt: new Date(time) }),
      ...(version && { version }),
    };
  },
  keepHeaders: ['x-zendesk-webhook-id', 'x-zendesk-webhook-invocation-id', 'x-zendesk-account-id'],
  sign(payload, cfg, opts) {
    const timestamp = opts.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Zendesk Webhook',
        ...(opts.deliveryId && { 'x-zendesk-webhook-invocation-id': opts.deliveryId }),
        [timestampHeader]: timestamp,
        [signatureHeader]: signHmac(scheme, cfg.secret[0]!, [Buffer.from(timestamp, 'utf8'), payload]),
      },
      body: payload,
    };
  },
};
