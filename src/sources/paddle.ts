import { z } from 'zod';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HmacScheme, signHmac } from './verify/hmac.js';
import { headerParams } from './verify/header-params.js';
import { verifyTimestamped } from './verify/timestamped.js';

const config = z.strictObject({
  type: z.literal('paddle'),
  secret: secrets.describe('secret key of the notification destination (pdl_ntfset_...); a list while rotating'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(5_000)
    .describe('how far the signed timestamp may be from our clock, either way (Paddle SDKs: 5s; run NTP)'),
  ...commonSourceFields,
});

export type PaddleConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

/**
 * `Paddle-Signature: ts=<unix>;h1=<hex of HMAC-SHA256("<ts>:<body>")>`, colon-separated (not a dot).
 * Any of several `h1` may match: Paddle's own SDK keeps only the last one, which rejects genuine
 * requests while a secret is being rotated.
 */
function verifyPaddle(req: RawRequest, cfg: PaddleConfig, now: Date): VerifyResult {
  const header = req.headers['paddle-signature'];
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const params = headerParams(header, ';');
  const ts = params.get('ts')?.[0];
  const h1 = params.get('h1') ?? [];
  if (ts === undefined || h1.length === 0) return { ok: false, reason: 'malformed' };
  return verifyTimestamped({
    scheme,
    keys: cfg.secret,
    timestamp: ts,
    signatures: h1,
    signed: (t) => [Buffer.from(`${t}:`), req.body],
    now,
    toleranceMs: cfg.tolerance,
  });
}

/**
 * `subscription:<id>` for a subscription and the transactions that bill it, else `transaction:<id>`
 * for one-off transactions and their adjustments.
 */
export function paddleCorrelationKey(eventType: string, payload: unknown): string | undefined {
  const family = eventType.split('.')[0];
  const subscription = family === 'subscription' ? readText(payload, 'data.id') : readText(payload, 'data.subscription_id');
  if (subscription) return `subscription:${subscription}`;
  const transaction = family === 'transaction' ? readText(payload, 'data.id') : readText(payload, 'data.transaction_id');
  return transaction ? `transaction:${transaction}` : undefined;
}

export const paddle: SourceType<PaddleConfig> = {
  type: 'paddle',
  area: 'payment',
  summary: 'Paddle Billing notification destinations (not Paddle Classic)',
  verification: 'Paddle-Signature: ts=<unix>;h1=<hex HMAC-SHA256 of "ts:body"> (any h1), within the tolerance',
  config,
  verify: verifyPaddle,
  describe(_req, payload) {
    // event_id, not notification_id: one event reaches each destination with its own notification id.
    const type = requireText(payload, 'event_type');
    const correlationKey = paddleCorrelationKey(type, payload);
    const occurred = Date.parse(readText(payload, 'occurred_at') ?? '');
    return {
      id: requireText(payload, 'event_id'),
      type,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(occurred) && { occurredAt: new Date(occurred) }),
    };
  },
  sign(payload, cfg, opts) {
    const ts = String(Math.floor(opts.now.getTime() / 1000));
    const h1 = signHmac(scheme, cfg.secret[0]!, [Buffer.from(`${ts}:`), payload]);
    return { headers: { 'content-type': 'application/json', 'paddle-signature': `ts=${ts};h1=${h1}` }, body: payload };
  },
};
