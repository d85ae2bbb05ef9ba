import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('lemonsqueezy'),
  secret: secrets.describe('signing secret chosen when the webhook was created (6-40 characters); a list while rotating'),
  ...commonSourceFields,
});

export type LemonsqueezyConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'x-signature', algorithm: 'sha256', encoding: 'hex' };

/**
 * `subscription:<id>` for a subscription, its invoices and payments; `order:<id>` for an order, its
 * refund and its license keys. `data.type` is the JSON:API resource type of the body's object.
 */
export function lemonsqueezyCorrelationKey(payload: unknown): string | undefined {
  const resource = readText(payload, 'data.type');
  const id = readText(payload, 'data.id');
  const key = (kind: string, value: string | undefined) => (value ? `${kind}:${value}` : undefined);
  switch (resource) {
    case 'subscriptions':
      return key('subscription', id);
    case 'subscription-invoices':
      return key('subscription', readText(payload, 'data.attributes.subscription_id'));
    case 'orders':
      return key('order', id);
    case 'license-keys':
      return key('order', readText(payload, 'data.attributes.order_id'));
    default:
      return undefined;
  }
}

export const lemonsqueezy: SourceType<LemonsqueezyConfig> = {
  type: 'lemonsqueezy',
  area: 'payment',
  summary: 'Lemon Squeezy store webhooks (order_*, subscription_*, license_key_*)',
  verification: 'X-Signature: <hex HMAC-SHA256 of the raw body>',
  config,
  verify: hmacVerifier(scheme),
  describe(req, payload) {
    const type = requireText(payload, 'meta.event_name');
    const correlationKey = lemonsqueezyCorrelationKey(payload);
    // No delivery id is sent; a retry carries the same bytes, so their hash recognises it.
    return { id: bodyHash(req.body), type, ...(correlationKey && { correlationKey }) };
  },
  keepHeaders: ['x-event-name'],
  sign(payload, cfg, opts) {
    let event = opts.event;
    try {
      event ??= readText(JSON.parse(payload.toString('utf8')), 'meta.event_name');
    } catch {
      // Not JSON: sent as-is.
    }
    return {
      headers: {
        'content-type': 'application/json',
        'x-event-name': event ?? 'order_created',
        'x-signature': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
