import { z } from 'zod';
import { basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

/**
 * The payload template to paste in the New Relic webhook destination's workflow (Alerts › Workflows ›
 * Notify › Webhook › Payload). New Relic's own default template has no per-notification id, so
 * this one builds it from the issue, its state and its last update.
 */
export const newrelicPayloadTemplate = `{
  "id": "{{issueId}}:{{state}}:{{updatedAt}}",
  "event_type": "issue.{{state}}",
  "issue_id": {{json issueId}},
  "state": {{json state}},
  "priority": {{json priority}},
  "title": {{json annotations.title.[0]}},
  "link": {{json issuePageUrl}},
  "trigger": {{json triggerEvent}},
  "entities": {{json entitiesData.names}},
  "conditions": {{json accumulations.conditionName}},
  "policies": {{json accumulations.policyName}},
  "total_incidents": {{json totalIncidents}},
  "created_at": {{createdAt}},
  "updated_at": {{updatedAt}}
}`;

const config = z
  .strictObject({
    type: z.literal('newrelic'),
    token: secrets.optional().describe('bearer token (or custom header value, see tokenHeader) set on the webhook destination; a list while rotating'),
    tokenHeader: z
      .string()
      .min(1)
      .transform((h) => h.toLowerCase())
      .optional()
      .describe('custom header carrying the token as-is; default Authorization: Bearer'),
    basic: basicAuth.optional().describe('basic auth username and password of the webhook destination'),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'newrelic signs nothing: set token (bearer or custom header) or basic: { username, password }',
  });

export type NewrelicConfig = z.infer<typeof config>;

export const newrelic: SourceType<NewrelicConfig> = {
  type: 'newrelic',
  area: 'monitoring',
  summary: `New Relic workflow webhook destination (alert issues); paste this payload template: ${newrelicPayloadTemplate.replace(/\s+/g, ' ')}`,
  verification: 'Authorization: Bearer <token> (or the token in a custom header) or Basic; New Relic signs nothing',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg, cfg.tokenHeader),
  describe(_req, payload) {
    const issue = readText(payload, 'issue_id');
    const updated = Number(readText(payload, 'updated_at'));
    return {
      id: requireText(payload, 'id'),
      // The template sends the state upper-case (ACTIVATED); lower case matches other sources' event names.
      type: requireText(payload, 'event_type').toLowerCase(),
      ...(issue && { correlationKey: `issue:${issue}` }),
      ...(Number.isFinite(updated) && updated > 0 && { occurredAt: new Date(updated) }),
    };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json', ...credentialHeaders(cfg, cfg.tokenHeader) }, body: payload };
  },
};
