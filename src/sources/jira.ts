import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('jira'),
  secret: secrets.describe('secret of the Jira admin webhook (System › WebHooks › Secret); a list while rotating'),
  ...commonSourceFields,
});

export type JiraConfig = z.infer<typeof config>;

// Admin webhooks with a secret use the WebSub format; without a secret Jira signs nothing, and such
// webhooks are not accepted here.
const scheme: HeaderScheme = { header: 'x-hub-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

/** `issue:<KEY>` for issue, comment and worklog events; `<kind>:<id>` for sprints, versions and projects. */
export function jiraCorrelationKey(payload: unknown): string | undefined {
  const issue = readText(payload, 'issue.key');
  if (issue) return `issue:${issue}`;
  for (const kind of ['sprint', 'version', 'project']) {
    const id = readText(payload, `${kind}.id`);
    if (id) return `${kind}:${id}`;
  }
  return undefined;
}

export const jira: SourceType<JiraConfig> = {
  type: 'jira',
  area: 'support',
  summary: 'Jira Cloud admin webhooks with a secret (jira:issue_*, comment_*, sprint_*, ...)',
  verification: 'X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>',
  config,
  verify: hmacVerifier(scheme),
  describe(req, payload) {
    const correlationKey = jiraCorrelationKey(payload);
    const timestamp = Number(readText(payload, 'timestamp'));
    return {
      // The identifier stays the same across Jira's retries; Data Center sends none, so the bytes stand in.
      id: req.headers['x-atlassian-webhook-identifier']?.trim() || bodyHash(req.body),
      type: requireText(payload, 'webhookEvent'),
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(timestamp) && timestamp > 0 && { occurredAt: new Date(timestamp) }),
    };
  },
  keepHeaders: ['x-atlassian-webhook-identifier', 'x-atlassian-webhook-retry', 'x-atlassian-webhook-flow'],
  sign(payload, cfg, opts) {
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Atlassian Webhook HTTP Client',
        ...(opts.deliveryId && { 'x-atlassian-webhook-identifier': opts.deliveryId }),
        'x-hub-signature': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
