import { z } from 'zod';
import { apiConfig, basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

const config = z
  .strictObject({
    type: z.literal('opsgenie'),
    token: secrets.optional().describe('value of the custom header added to the Webhook integration (see tokenHeader); a list while rotating'),
    tokenHeader: z
      .string()
      .min(1)
      .transform((h) => h.toLowerCase())
      .default('x-hookbridge-token')
      .describe('custom header carrying the token ("Custom Headers" of the Webhook integration)'),
    basic: basicAuth.optional().describe('basic auth username and password, when a proxy in front adds them'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'opsgenie signs nothing: set token (sent in a custom header) or basic: { username, password }',
  });

export type OpsgenieConfig = z.infer<typeof config>;

export const opsgenie: SourceType<OpsgenieConfig> = {
  type: 'opsgenie',
  area: 'monitoring',
  summary: 'Opsgenie outgoing Webhook integration (alert create, acknowledge, close, notes, ...)',
  verification: 'a token in a custom header (default X-Hookbridge-Token) or Authorization: Basic; Opsgenie signs nothing',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg, cfg.tokenHeader),
  describe(_req, payload) {
    const alertId = requireText(payload, 'alert.alertId');
    const action = requireText(payload, 'action');
    // Two notes on one alert are two events with the same alertId and action; updatedAt tells them apart.
    const updated = readText(payload, 'alert.updatedAt');
    return {
      id: [alertId, action, ...(updated ? [updated] : [])].join(':'),
      type: `alert.${action.toLowerCase()}`,
      correlationKey: `alert:${alertId}`,
    };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json', ...credentialHeaders(cfg, cfg.tokenHeader) }, body: payload };
  },
};
