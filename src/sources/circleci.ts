import { z } from 'zod';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HmacScheme, signHmac, verifyHmac } from './verify/hmac.js';
import { headerParams } from './verify/header-params.js';

const config = z.strictObject({
  type: z.literal('circleci'),
  secret: secrets.describe('signing secret of the CircleCI project webhook; a list while rotating'),
  api: apiConfig.optional(),
  ...commonSourceFields,
});

export type CircleciConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

/**
 * `circleci-signature: v1=<hex>[,v2=…]`. Only v1 is defined today; CircleCI asks receivers to check
 * the newest scheme they know and ignore the rest, so a header with only unknown versions is a
 * mismatch rather than a parse error.
 */
function verifyCircleci(req: RawRequest, cfg: CircleciConfig): VerifyResult {
  const header = req.headers['circleci-signature'];
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const params = headerParams(header, ',');
  const v1 = params.get('v1') ?? [];
  if (v1.length === 0) return { ok: false, reason: [...params.keys()].some((k) => /^v\d+$/.test(k)) ? 'mismatch' : 'malformed' };
  return verifyHmac(scheme, cfg.secret, [req.body], v1);
}

/** Jobs and their workflow share the workflow id, so a job's messages update the workflow's. */
export function circleciCorrelationKey(payload: unknown): string | undefined {
  const workflow = readText(payload, 'workflow.id');
  return workflow ? `workflow:${workflow}` : undefined;
}

export const circleci: SourceType<CircleciConfig> = {
  type: 'circleci',
  area: 'ci',
  summary: 'CircleCI project webhooks (workflow-completed, job-completed)',
  verification: 'circleci-signature: v1=<hex HMAC-SHA256 of the raw body>',
  config,
  verify: verifyCircleci,
  describe(_req, payload) {
    const correlationKey = circleciCorrelationKey(payload);
    const happened = Date.parse(readText(payload, 'happened_at') ?? '');
    return {
      id: requireText(payload, 'id'),
      type: requireText(payload, 'type'),
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(happened) && { occurredAt: new Date(happened) }),
    };
  },
  keepHeaders: ['circleci-event-type'],
  sign(payload, cfg, opts) {
    let type = opts.event;
    try {
      type ??= readText(JSON.parse(payload.toString('utf8')), 'type');
    } catch {
      // Not JSON: sent as-is, the receiver will say what is wrong with it.
    }
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'CircleCI-Webhook/1.0',
        'circleci-event-type': type ?? 'workflow-completed',
        'circleci-signature': `v1=${signHmac(scheme, cfg.secret[0]!, [payload])}`,
      },
      body: payload,
    };
  },
};
