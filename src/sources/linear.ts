import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader, requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HeaderScheme, signHmac, verifyBodyHmac } from './verify/hmac.js';
import { checkTimestamp, parseTimestamp } from './verify/timestamped.js';

const config = z.strictObject({
  type: z.literal('linear'),
  secret: secrets.describe('signing secret of the Linear webhook (Settings › API › Webhooks); a list while rotating'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(60_000)
    .describe("how far the body's webhookTimestamp may be from our clock, either way (Linear: 60s)"),
  ...commonSourceFields,
});

export type LinearConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'linear-signature', algorithm: 'sha256', encoding: 'hex' };

/**
 * Linear signs the body only; its time is the body's `webhookTimestamp` (ms), covered by the
 * signature. It is read once the signature has passed, so nothing unauthenticated is parsed.
 */
function verifyLinear(req: RawRequest, cfg: LinearConfig, now: Date): VerifyResult {
  const signed = verifyBodyHmac(req, scheme, cfg.secret);
  if (!signed.ok) return signed;
  let sent: number | undefined;
  try {
    const value = (JSON.parse(req.body.toString('utf8')) as { webhookTimestamp?: unknown }).webhookTimestamp;
    sent = typeof value === 'number' && Number.isSafeInteger(value) ? value : parseTimestamp(String(value), 'ms');
  } catch {
    sent = undefined;
  }
  return sent === undefined ? { ok: false, reason: 'malformed' } : checkTimestamp(sent, now, cfg.tolerance);
}

/** The issue for issues and their comments, reactions and labels; else `<type>:<data.id>`. */
export function linearCorrelationKey(type: string, payload: unknown): string | undefined {
  const issue = type === 'Issue' ? readText(payload, 'data.id') : readText(payload, 'data.issueId') ?? readText(payload, 'data.issue.id');
  if (issue) return `issue:${issue}`;
  const id = readText(payload, 'data.id');
  return id ? `${type.toLowerCase()}:${id}` : undefined;
}

/** The body with `webhookTimestamp` set to `at`, other bytes untouched, for `sign()`. */
function stamped(payload: Buffer, at: number): Buffer {
  const text = payload.toString('utf8');
  const replaced = text.replace(/("webhookTimestamp"\s*:\s*)\d+/, `$1${at}`);
  if (replaced !== text) return Buffer.from(replaced, 'utf8');
  try {
    return Buffer.from(JSON.stringify({ ...(JSON.parse(text) as object), webhookTimestamp: at }), 'utf8');
  } catch {
    return payload;
  }
}

export const linear: SourceType<LinearConfig> = {
  type: 'linear',
  area: 'support',
  summary: 'Linear webhooks (Issue, Comment, Project, Cycle, ... create/update/remove)',
  verification: 'Linear-Signature: <hex HMAC-SHA256 of the raw body>; body webhookTimestamp (ms) within 60s',
  config,
  verify: verifyLinear,
  describe(req, payload) {
    const type = requireText(payload, 'type');
    const correlationKey = linearCorrelationKey(type, payload);
    const sent = Number(readText(payload, 'webhookTimestamp'));
    return {
      id: requireHeader(req, 'linear-delivery'),
      type: `${type}.${requireText(payload, 'action')}`,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(sent) && sent > 0 && { occurredAt: new Date(sent) }),
    };
  },
  keepHeaders: ['linear-delivery', 'linear-event'],
  sign(payload, cfg, opts) {
    // The signed time travels in the body, so a stored sample is re-stamped with the send time.
    const body = stamped(payload, opts.now.getTime());
    let event = opts.event?.split('.')[0];
    try {
      event ??= readText(JSON.parse(body.toString('utf8')), 'type');
    } catch {
      // Not JSON: sent as-is.
    }
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Linear-Webhook',
        'linear-delivery': opts.deliveryId ?? randomUUID(),
        'linear-event': event ?? 'Issue',
        'linear-signature': signHmac(scheme, cfg.secret[0]!, [body]),
      },
      body,
    };
  },
};
