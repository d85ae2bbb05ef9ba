import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader, requireText } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('sentry'),
  secret: secrets.describe('Client Secret of the Sentry integration (internal or public); a list while rotating'),
  api: apiConfig.optional(),
  ...commonSourceFields,
});

export type SentryConfig = z.infer<typeof config>;

// The Sentry-Hook-Timestamp header is not covered by the signature, so it is not checked: a
// replayer could set it to anything.
const scheme: HeaderScheme = { header: 'sentry-hook-signature', algorithm: 'sha256', encoding: 'hex' };

/** Where each resource names its issue; metric alerts belong to an alert rule incident instead. */
const issuePaths: Record<string, string> = {
  issue: 'data.issue.id',
  event_alert: 'data.event.issue_id',
  error: 'data.error.issue_id',
  comment: 'data.issue_id',
};

/** `issue:<id>` for issue, issue-alert, error and comment hooks; `metric_alert:<id>` for metric alerts. */
export function sentryCorrelationKey(resource: string, payload: unknown): string | undefined {
  const path = issuePaths[resource];
  const issue = path ? readText(payload, path) : undefined;
  if (issue) return `issue:${issue}`;
  const incident = resource === 'metric_alert' ? readText(payload, 'data.metric_alert.id') : undefined;
  return incident ? `metric_alert:${incident}` : undefined;
}

/** The resource a payload is about, from the object `data` holds, for `hookbridge send` without an event. */
function sentryResourceOf(payload: Buffer): string {
  let data: unknown;
  try {
    data = (JSON.parse(payload.toString('utf8')) as { data?: unknown }).data;
  } catch {
    return 'issue';
  }
  const keys = data !== null && typeof data === 'object' ? Object.keys(data) : [];
  if (keys.includes('event')) return 'event_alert';
  if (keys.includes('comment_id')) return 'comment';
  return ['issue', 'metric_alert', 'error', 'installation'].find((k) => keys.includes(k)) ?? 'issue';
}

export const sentry: SourceType<SentryConfig> = {
  type: 'sentry',
  area: 'monitoring',
  summary: 'Sentry integration platform webhooks (issue, event_alert, metric_alert, error, comment, installation)',
  verification: 'Sentry-Hook-Signature: <hex HMAC-SHA256 of the raw body with the Client Secret>',
  config,
  verify: hmacVerifier(scheme),
  describe(req, payload) {
    const resource = requireHeader(req, 'sentry-hook-resource');
    const action = requireText(payload, 'action');
    const correlationKey = sentryCorrelationKey(resource, payload);
    const sent = Number(req.headers['sentry-hook-timestamp']);
    return {
      // Sentry does not retry, but a proxy might; without Request-ID the bytes identify the delivery.
      id: req.headers['request-id']?.trim() || bodyHash(req.body),
      type: `${resource}.${action}`,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(sent) && sent > 0 && { occurredAt: new Date(sent * 1000) }),
    };
  },
  keepHeaders: ['request-id', 'sentry-hook-resource', 'sentry-hook-timestamp'],
  sign(payload, cfg, opts) {
    const resource = opts.event?.split('.')[0] || sentryResourceOf(payload);
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sentry-app',
        'request-id': opts.deliveryId ?? randomUUID().replaceAll('-', ''),
        'sentry-hook-resource': resource,
        'sentry-hook-timestamp': String(Math.floor(opts.now.getTime() / 1000)),
        'sentry-hook-signature': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
