import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('helpscout'),
  secret: secrets.describe('secret key of the Help Scout webhook (Manage › Apps › Webhooks); a list while rotating'),
  ...commonSourceFields,
});

export type HelpscoutConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'x-helpscout-signature', algorithm: 'sha1', encoding: 'base64' };

/**
 * `conversation:<id>`: conversation events carry the conversation itself, ratings point at it with
 * `conversationId`. Customer and other events have no conversation.
 */
export function helpscoutCorrelationKey(event: string, payload: unknown): string | undefined {
  const id = event.startsWith('convo.') ? readText(payload, 'id') : readText(payload, 'conversationId') ?? readText(payload, 'conversation.id');
  return id ? `conversation:${id}` : undefined;
}

export const helpscout: SourceType<HelpscoutConfig> = {
  type: 'helpscout',
  area: 'support',
  summary: 'Help Scout webhooks (convo.*, satisfaction.ratings, customer.*, ...)',
  verification: 'X-HelpScout-Signature: <base64 HMAC-SHA1 of the raw body>',
  config,
  verify: hmacVerifier(scheme),
  describe(req, payload) {
    const type = requireHeader(req, 'x-helpscout-event');
    const correlationKey = helpscoutCorrelationKey(type, payload);
    // Help Scout documents no delivery id; the event name and bytes identify a redelivery.
    return { id: bodyHash(type, req.body), type, ...(correlationKey && { correlationKey }) };
  },
  keepHeaders: ['x-helpscout-event'],
  sign(payload, cfg, opts) {
    return {
      headers: {
        'content-type': 'application/json',
        'x-helpscout-event': opts.event ?? 'convo.created',
        'x-helpscout-signature': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
