import { z } from 'zod';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readPath, readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType, VerifyResult } from './types.js';
import { type HmacScheme, signHmac } from './verify/hmac.js';
import { verifyTimestamped } from './verify/timestamped.js';

const config = z.strictObject({
  type: z.literal('stripe'),
  secret: secrets.describe('endpoint signing secret (whsec_...); a list while rolling it'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(300_000)
    .describe('how far the signed timestamp may be from our clock, either way (Stripe SDK: 5m)'),
  ...commonSourceFields,
});

export type StripeConfig = z.infer<typeof config>;

// The endpoint secret is the HMAC key verbatim, `whsec_` included (it is not base64-decoded).
const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

/** `t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]` → timestamp and the v1 signatures; other schemes are ignored. */
export function parseStripeSignature(header: string): { t?: string; v1: string[] } {
  const out: { t?: string; v1: string[] } = { v1: [] };
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') out.t = value;
    else if (key === 'v1' && value !== '') out.v1.push(value);
  }
  return out;
}

function verifyStripe(header: string | undefined, body: Buffer, cfg: StripeConfig, now: Date): VerifyResult {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const { t, v1 } = parseStripeSignature(header);
  if (t === undefined || v1.length === 0) return { ok: false, reason: 'malformed' };
  return verifyTimestamped({
    scheme,
    keys: cfg.secret,
    timestamp: t,
    signatures: v1,
    signed: (ts) => [Buffer.from(`${ts}.`), body],
    now,
    toleranceMs: cfg.tolerance,
  });
}

/** The object an event is about, by the type of `data.object`, and where its id is. */
const families: Record<string, (o: unknown) => [string, string | undefined]> = {
  payment_intent: (o) => ['payment_intent', readText(o, 'id')],
  charge: (o) => (readText(o, 'payment_intent') ? ['payment_intent', readText(o, 'payment_intent')] : ['charge', readText(o, 'id')]),
  refund: (o) => (readText(o, 'payment_intent') ? ['payment_intent', readText(o, 'payment_intent')] : ['charge', readText(o, 'charge')]),
  invoice: (o) => ['invoice', readText(o, 'id')],
  dispute: (o) => ['dispute', readText(o, 'id')],
  subscription: (o) => ['subscription', readText(o, 'id')],
  'checkout.session': (o) => ['checkout_session', readText(o, 'id')],
  payout: (o) => ['payout', readText(o, 'id')],
};

/** `<family>:<id>`, e.g. `payment_intent:pi_3Mtw...` for payment_intent.* and a PI's charges and refunds. */
export function stripeCorrelationKey(payload: unknown): string | undefined {
  const object = readText(payload, 'data.object.object');
  const family = object === undefined ? undefined : families[object];
  if (!family) return undefined;
  const [kind, id] = family(readPath(payload, 'data.object'));
  return id ? `${kind}:${id}` : undefined;
}

export const stripe: SourceType<StripeConfig> = {
  type: 'stripe',
  area: 'payment',
  summary: 'Stripe webhook endpoints (events API)',
  verification: 'Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, within the tolerance',
  config,
  verify: (req, cfg, now) => verifyStripe(req.headers['stripe-signature'], req.body, cfg, now),
  describe(_req, payload) {
    const created = Number(readText(payload, 'created'));
    const correlationKey = stripeCorrelationKey(payload);
    const version = readText(payload, 'api_version');
    return {
      id: requireText(payload, 'id'),
      type: requireText(payload, 'type'),
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(created) && { occurredAt: new Date(created * 1000) }),
      ...(version && { version }),
    };
  },
  sign(payload, cfg, opts) {
    const t = String(Math.floor(opts.now.getTime() / 1000));
    const v1 = signHmac(scheme, cfg.secret[0]!, [Buffer.from(`${t}.`), payload]);
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': `t=${t},v1=${v1}`,
      },
      body: payload,
    };
  },
};
