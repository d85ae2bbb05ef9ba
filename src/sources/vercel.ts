import { z } from 'zod';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('vercel'),
  secret: secrets.describe('webhook secret shown when the webhook was created (or the integration client secret); a list while rotating'),
  ...commonSourceFields,
});

export type VercelConfig = z.infer<typeof config>;

// SHA-1, not SHA-256, and no prefix: Vercel's documented scheme.
const scheme: HeaderScheme = { header: 'x-vercel-signature', algorithm: 'sha1', encoding: 'hex' };

export const vercel: SourceType<VercelConfig> = {
  type: 'vercel',
  area: 'ci',
  summary: 'Vercel account and integration webhooks (deployment.*, project.*)',
  verification: 'x-vercel-signature: <hex HMAC-SHA1 of the raw body>',
  config,
  verify: hmacVerifier(scheme),
  describe(_req, payload) {
    // Every event of one deployment (created, succeeded, error, promoted) updates one message.
    const deployment = readText(payload, 'payload.deployment.id');
    const created = Number(readText(payload, 'createdAt'));
    return {
      id: requireText(payload, 'id'),
      type: requireText(payload, 'type'),
      ...(deployment && { correlationKey: `deployment:${deployment}` }),
      ...(Number.isFinite(created) && created > 0 && { occurredAt: new Date(created) }),
    };
  },
  sign(payload, cfg) {
    return {
      headers: { 'content-type': 'application/json', 'x-vercel-signature': signHmac(scheme, cfg.secret[0]!, [payload]) },
      body: payload,
    };
  },
};
