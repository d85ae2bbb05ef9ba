import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import type { SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

const config = z
  .strictObject({
    type: z.literal('freshdesk'),
    token: secrets.optional().describe('value of the custom header added to the automation rule webhook (see tokenHeader); a list while rotating'),
    tokenHeader: z
      .string()
      .min(1)
      .transform((h) => h.toLowerCase())
      .default('x-hookbridge-token')
      .describe('custom header carrying the token ("Add custom headers" in the rule\'s webhook action)'),
    basic: basicAuth.optional().describe('username and password of the webhook action ("Requires authentication")'),
    defaultType: z.string().min(1).default('ticket').describe('event type when the body has no freshdesk_webhook.triggered_event'),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'freshdesk signs nothing: set token (sent in a custom header) or basic: { username, password }',
  });

export type FreshdeskConfig = z.infer<typeof config>;

/** The ticket a webhook is about: the "simple" JSON body nests it under freshdesk_webhook; custom bodies may not. */
export function freshdeskTicketId(payload: unknown): string | undefined {
  return readText(payload, 'freshdesk_webhook.ticket_id') ?? readText(payload, 'ticket_id') ?? readText(payload, 'ticket.id');
}

export const freshdesk: SourceType<FreshdeskConfig> = {
  type: 'freshdesk',
  area: 'support',
  summary: 'Freshdesk automation rule webhooks (ticket created / updated)',
  verification: 'a token in a custom header (default X-Hookbridge-Token) or Authorization: Basic; Freshdesk signs nothing',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg, cfg.tokenHeader),
  describe(req, payload, cfg) {
    const ticket = freshdeskTicketId(payload);
    return {
      // Freshdesk sends no delivery id; a postponed or repeated call carries the same bytes.
      id: bodyHash(req.body),
      type: readText(payload, 'freshdesk_webhook.triggered_event') ?? cfg.defaultType,
      ...(ticket && { correlationKey: `ticket:${ticket}` }),
    };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json', ...credentialHeaders(cfg, cfg.tokenHeader) }, body: payload };
  },
};
