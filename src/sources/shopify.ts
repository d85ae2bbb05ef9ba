import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { MalformedRequestError, type RawRequest, type SourceType, type VerifyResult } from './types.js';
import { type HeaderScheme, signHmac, verifyBodyHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('shopify'),
  secret: secrets.describe("app client secret (or the webhook secret shown in the shop's admin); a list while rotating"),
  ...commonSourceFields,
});

export type ShopifyConfig = z.infer<typeof config>;

const classic: HeaderScheme = { header: 'x-shopify-hmac-sha256', algorithm: 'sha256', encoding: 'base64' };
// Shopify's newer "events" webhooks send the same scheme under unprefixed header names.
const events: HeaderScheme = { ...classic, header: 'shopify-hmac-sha256' };

/** `X-Shopify-…` header, or its unprefixed lower-case twin on newer deliveries. */
function shopifyHeader(req: RawRequest, name: string): string | undefined {
  return req.headers[`x-shopify-${name}`]?.trim() || req.headers[`shopify-${name}`]?.trim() || undefined;
}

function verifyShopify(req: RawRequest, cfg: ShopifyConfig): VerifyResult {
  return verifyBodyHmac(req, req.headers[classic.header] !== undefined ? classic : events, cfg.secret);
}

/** The order's id, from its GraphQL id when present: ids above 2^53 lose digits as JSON numbers. */
function orderId(payload: unknown): string | undefined {
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(readText(payload, 'admin_graphql_api_id') ?? '');
  return gid?.[1] ?? readText(payload, 'id');
}

/** Order topics (`orders/*`) carry the order; refunds, fulfillments and transactions point at it. */
export function shopifyCorrelationKey(topic: string, shop: string | undefined, payload: unknown): string | undefined {
  const order = topic.startsWith('orders/') ? orderId(payload) : readText(payload, 'order_id');
  if (!order) return undefined;
  return shop ? `${shop}:order:${order}` : `order:${order}`;
}

export const shopify: SourceType<ShopifyConfig> = {
  type: 'shopify',
  area: 'payment',
  summary: 'Shopify app and shop admin webhooks (orders/*, refunds/*, ...)',
  verification: 'X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>',
  config,
  verify: verifyShopify,
  describe(req, payload) {
    const type = shopifyHeader(req, 'topic');
    if (!type) throw new MalformedRequestError('missing X-Shopify-Topic header');
    // Event-Id is the same for every subscription that received the event; Webhook-Id only for retries.
    const id = shopifyHeader(req, 'event-id') ?? shopifyHeader(req, 'webhook-id');
    if (!id) throw new MalformedRequestError('missing X-Shopify-Event-Id and X-Shopify-Webhook-Id headers');
    const correlationKey = shopifyCorrelationKey(type, shopifyHeader(req, 'shop-domain'), payload);
    const triggered = Date.parse(shopifyHeader(req, 'triggered-at') ?? '');
    const version = shopifyHeader(req, 'api-version');
    return {
      id,
      type,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(triggered) && { occurredAt: new Date(triggered) }),
      ...(version && { version }),
    };
  },
  keepHeaders: [
    'x-shopify-topic',
    'x-shopify-shop-domain',
    'x-shopify-api-version',
    'x-shopify-webhook-id',
    'x-shopify-event-id',
    'x-shopify-triggered-at',
    'shopify-topic',
    'shopify-shop-domain',
    'shopify-webhook-id',
  ],
  sign(payload, cfg, opts) {
    return {
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': opts.event ?? 'orders/create',
        'x-shopify-shop-domain': 'example.myshopify.com',
        'x-shopify-api-version': '2025-01',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': opts.deliveryId ?? randomUUID(),
        'x-shopify-triggered-at': opts.now.toISOString(),
        'x-shopify-hmac-sha256': signHmac(classic, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
