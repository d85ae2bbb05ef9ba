import { z } from 'zod';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { headerParams } from './verify/header-params.js';
import { type HmacScheme, signHmac, verifyHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('pagerduty'),
  secret: secrets.describe('secret of the v3 webhook subscription (shown once when it is created); a list while rotating'),
  // PagerDuty's REST API wants a `From` user for account-level tokens (Ack and Resolve act as them).
  api: apiConfig.extend({ from: z.email().optional().describe('email of the PagerDuty user Ack and Resolve act as (the From header)') }).optional(),
  ...commonSourceFields,
});

export type PagerdutyConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

/**
 * `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`. PagerDuty signs once per active secret while one
 * rotates, so any v1 entry may be the one we know; versions we do not know are skipped, and a header
 * holding only those is a mismatch rather than a parse error.
 */
function verifyPagerduty(req: RawRequest, cfg: PagerdutyConfig): VerifyResult {
  const header = req.headers['x-pagerduty-signature'];
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const params = headerParams(header, ',');
  const v1 = params.get('v1') ?? [];
  if (v1.length === 0) return { ok: false, reason: [...params.keys()].some((k) => /^v\d+$/.test(k)) ? 'mismatch' : 'malformed' };
  return verifyHmac(scheme, cfg.secret, [req.body], v1);
}

/**
 * The incident an event is about: `event.data` is the incident itself for `incident.*` state changes,
 * and points at it (`data.incident`) for notes, responders and status updates. Other resources
 * (services, ...) use their own id.
 */
export function pagerdutyCorrelationKey(payload: unknown): string | undefined {
  const incident = readText(payload, 'event.data.incident.id');
  if (incident) return `incident:${incident}`;
  const id = readText(payload, 'event.data.id');
  if (!id) return undefined;
  return `${readText(payload, 'event.data.type') ?? readText(payload, 'event.resource_type') ?? 'object'}:${id}`;
}

export const pagerduty: SourceType<PagerdutyConfig> = {
  type: 'pagerduty',
  area: 'monitoring',
  summary: 'PagerDuty v3 webhook subscriptions (incident.*, service.*)',
  verification: 'X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>[,v1=...] (any entry may match)',
  config,
  verify: verifyPagerduty,
  describe(_req, payload) {
    const correlationKey = pagerdutyCorrelationKey(payload);
    const occurred = Date.parse(readText(payload, 'event.occurred_at') ?? '');
    return {
      id: requireText(payload, 'event.id'),
      type: requireText(payload, 'event.event_type'),
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(occurred) && { occurredAt: new Date(occurred) }),
    };
  },
  keepHeaders: ['x-webhook-id', 'x-webhook-subscription'],
  sign(payload, cfg) {
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'PagerDuty-Webhook/V3.0',
        'x-pagerduty-signature': cfg.secret.map((s) => `v1=${signHmac(scheme, s, [payload])}`).join(','),
      },
      body: payload,
    };
  },
};
