import { z } from 'zod';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('intercom'),
  // Intercom has no separate webhook secret: it signs with the app's client secret.
  secret: secrets.describe("client_secret of the Intercom app (Developer Hub › the app › Basic information); a list while rotating"),
  ...commonSourceFields,
});

export type IntercomConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'x-hub-signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' };

/** `<item type>:<id>`, e.g. `conversation:2891`: every notification about one conversation updates one message. */
export function intercomCorrelationKey(payload: unknown): string | undefined {
  const id = readText(payload, 'data.item.id');
  return id ? `${readText(payload, 'data.item.type') ?? 'item'}:${id}` : undefined;
}

export const intercom: SourceType<IntercomConfig> = {
  type: 'intercom',
  area: 'support',
  summary: 'Intercom app webhooks (conversation.*, contact.*, ticket.*, ping)',
  verification: 'X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body with the app client secret>',
  config,
  verify: hmacVerifier(scheme),
  describe(_req, payload) {
    const correlationKey = intercomCorrelationKey(payload);
    const created = Number(readText(payload, 'created_at'));
    return {
      id: requireText(payload, 'id'),
      type: requireText(payload, 'topic'),
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(created) && created > 0 && { occurredAt: new Date(created * 1000) }),
    };
  },
  sign(payload, cfg) {
    return {
      headers: { 'content-type': 'application/json', 'user-agent': 'intercom-parrot-service', 'x-hub-signature': signHmac(scheme, cfg.secret[0]!, [payload]) },
      body: payload,
    };
  },
};
