import { z } from 'zod';
import { apiConfig, basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import { MalformedRequestError, type SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

/**
 * The payload template to paste in Datadog (Integrations › Webhooks › Payload). Datadog has no
 * fixed body: these field names are what `describe` and the built-in templates read.
 */
export const datadogPayloadTemplate = `{
  "id": "$ID",
  "event_type": "$EVENT_TYPE",
  "alert_transition": "$ALERT_TRANSITION",
  "alert_type": "$ALERT_TYPE",
  "alert_cycle_key": "$ALERT_CYCLE_KEY",
  "aggreg_key": "$AGGREG_KEY",
  "priority": "$PRIORITY",
  "tags": "$TAGS",
  "link": "$LINK",
  "title": "$EVENT_TITLE",
  "body": "$EVENT_MSG",
  "hostname": "$HOSTNAME",
  "date": "$DATE"
}`;

const config = z
  .strictObject({
    type: z.literal('datadog'),
    token: secrets.optional().describe('value of the custom header set in the webhook (see tokenHeader); a list while rotating'),
    tokenHeader: z
      .string()
      .min(1)
      .transform((h) => h.toLowerCase())
      .default('x-hookbridge-token')
      .describe('custom header carrying the token, set under "Custom Headers" of the Datadog webhook'),
    basic: basicAuth.optional().describe('basic auth username and password of the Datadog webhook'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'datadog signs nothing: set token (sent in a custom header) or basic: { username, password }',
  });

export type DatadogConfig = z.infer<typeof config>;

export const datadog: SourceType<DatadogConfig> = {
  type: 'datadog',
  area: 'monitoring',
  summary: `Datadog Webhooks integration (monitor notifications); paste this payload template: ${datadogPayloadTemplate.replace(/\s+/g, ' ')}`,
  verification: 'a token in a custom header (default X-Hookbridge-Token) or Authorization: Basic; Datadog signs nothing',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg, cfg.tokenHeader),
  describe(_req, payload) {
    const id = requireText(payload, 'id');
    const type = readText(payload, 'event_type') ?? readText(payload, 'alert_transition');
    if (!type) throw new MalformedRequestError('body has neither event_type nor alert_transition (see the payload template)');
    // One monitor's trigger → recover cycle shares $ALERT_CYCLE_KEY; events outside a cycle share $AGGREG_KEY.
    const correlationKey = readText(payload, 'alert_cycle_key') ?? readText(payload, 'aggreg_key');
    const date = Number(readText(payload, 'date'));
    return {
      id,
      type,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(date) && date > 0 && { occurredAt: new Date(date) }),
    };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json', ...credentialHeaders(cfg, cfg.tokenHeader) }, body: payload };
  },
};
