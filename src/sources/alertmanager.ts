import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { apiConfig, basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { readPath, readText } from './read-path.js';
import { requireText } from './required.js';
import { MalformedRequestError, type SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

const config = z
  .strictObject({
    type: z.literal('alertmanager'),
    token: secrets.optional().describe('bearer token set in http_config.authorization; a list while rotating'),
    basic: basicAuth.optional().describe('credentials set in http_config.basic_auth'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'alertmanager sends no signature: set token (bearer) or basic: { username, password }',
  });

export type AlertmanagerConfig = z.infer<typeof config>;

interface Alert {
  status?: unknown;
  fingerprint?: unknown;
  startsAt?: unknown;
  labels?: unknown;
}

/** An alert's identity within one notification; older releases send no fingerprint, so labels stand in. */
function alertIdentity(a: Alert): string {
  const who = typeof a.fingerprint === 'string' ? a.fingerprint : JSON.stringify(Object.entries(a.labels ?? {}).sort());
  return `${who}@${String(a.startsAt)}@${String(a.status)}`;
}

/**
 * Alertmanager has no delivery id. A notification is identified by its group, status and the alerts
 * in it; a repeat of the same state (repeat_interval, retries) gets the same id and is deduplicated,
 * while an alert joining, leaving or resolving makes a new one.
 */
export function alertmanagerEventId(payload: unknown, groupKey: string, status: string): string {
  const alerts = readPath(payload, 'alerts');
  if (!Array.isArray(alerts)) return bodyHash(groupKey, status);
  // Checked here, not left to a TypeError: that would answer 500, which the sender retries.
  if (!alerts.every((a) => a !== null && typeof a === 'object' && !Array.isArray(a))) throw new MalformedRequestError('alerts must be objects');
  const list = (alerts as Alert[]).map(alertIdentity).sort();
  return bodyHash(groupKey, status, ...list);
}

export const alertmanager: SourceType<AlertmanagerConfig> = {
  type: 'alertmanager',
  area: 'monitoring',
  summary: 'Prometheus Alertmanager webhook receiver',
  verification: 'Authorization: Bearer <token> or Basic <username:password> (Alertmanager signs nothing)',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg),
  describe(_req, payload) {
    const status = requireText(payload, 'status');
    if (status !== 'firing' && status !== 'resolved') throw new MalformedRequestError('status must be firing or resolved');
    const groupKey = requireText(payload, 'groupKey');
    const version = readText(payload, 'version');
    return {
      id: alertmanagerEventId(payload, groupKey, status),
      type: status,
      correlationKey: groupKey,
      ...(version && { version }),
    };
  },
  sign(payload, cfg) {
    return {
      headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.28.1', ...credentialHeaders(cfg) },
      body: payload,
    };
  },
};
