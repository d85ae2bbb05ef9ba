import { z } from 'zod';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HeaderScheme, readSignatures, signHmac, verifyHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('square'),
  secret: secrets.describe('signature key of the webhook subscription; a list while rotating'),
  notificationUrl: z
    .url({ protocol: /^https?$/ })
    .describe('notification URL exactly as set on the subscription (scheme, host, path, trailing slash): it is signed'),
  ...commonSourceFields,
});

export type SquareConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'x-square-hmacsha256-signature', algorithm: 'sha256', encoding: 'base64' };

/**
 * HMAC over the notification URL followed by the body. The URL comes from config, not from the
 * request: behind a proxy the URL we see differs from the one Square signed.
 */
function verifySquare(req: RawRequest, cfg: SquareConfig): VerifyResult {
  return verifyHmac(scheme, cfg.secret, [Buffer.from(cfg.notificationUrl, 'utf8'), req.body], readSignatures(req, scheme));
}

export const square: SourceType<SquareConfig> = {
  type: 'square',
  area: 'payment',
  summary: 'Square webhook subscriptions (payment.*, order.*, refund.*, ...)',
  verification: 'x-square-hmacsha256-signature: <base64 HMAC-SHA256 of notificationUrl + raw body>',
  config,
  verify: verifySquare,
  describe(_req, payload) {
    // The object's id: an order's or a payment's events all update the one message.
    const object = readText(payload, 'data.id');
    const created = Date.parse(readText(payload, 'created_at') ?? '');
    return {
      id: requireText(payload, 'event_id'),
      type: requireText(payload, 'type'),
      ...(object && { correlationKey: object }),
      ...(Number.isFinite(created) && { occurredAt: new Date(created) }),
    };
  },
  keepHeaders: ['square-environment', 'square-subscription-id', 'square-version', 'square-retry-number', 'square-retry-reason'],
  sign(payload, cfg) {
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Square Connect v2',
        'x-square-hmacsha256-signature': signHmac(scheme, cfg.secret[0]!, [Buffer.from(cfg.notificationUrl, 'utf8'), payload]),
      },
      body: payload,
    };
  },
};
