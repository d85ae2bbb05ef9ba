import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader } from './required.js';
import type { SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('bitbucket'),
  secret: secrets.describe('webhook secret set in Bitbucket; a list while rotating'),
  api: apiConfig.optional(),
  ...commonSourceFields,
});

export type BitbucketConfig = z.infer<typeof config>;

// The header has no -256 suffix, yet the digest is SHA-256 (GitHub's legacy name, Bitbucket's new scheme).
const scheme: HeaderScheme = { header: 'x-hub-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

/**
 * `<workspace/repo>:<kind>:<id>`: a pull request and its comments and approvals share the PR; the
 * build statuses Pipelines (or any CI) reports on a commit share that commit and status key.
 */
export function bitbucketCorrelationKey(event: string, payload: unknown): string | undefined {
  const repo = readText(payload, 'repository.full_name');
  if (!repo) return undefined;
  if (event.startsWith('pullrequest:')) {
    const pr = readText(payload, 'pullrequest.id');
    return pr ? `${repo}:pullrequest:${pr}` : undefined;
  }
  if (event.startsWith('repo:commit_status_')) {
    const commit = readText(payload, 'commit_status.commit.hash');
    const key = readText(payload, 'commit_status.key');
    return commit && key ? `${repo}:commit_status:${commit}:${key}` : undefined;
  }
  return undefined;
}

export const bitbucket: SourceType<BitbucketConfig> = {
  type: 'bitbucket',
  area: 'ci',
  summary: 'Bitbucket Cloud repository and workspace webhooks',
  verification: 'X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>',
  config,
  verify: hmacVerifier(scheme),
  describe(req, payload) {
    const type = requireHeader(req, 'x-event-key');
    const id = req.headers['x-request-uuid']?.trim() || bodyHash(req.body);
    const correlationKey = bitbucketCorrelationKey(type, payload);
    return correlationKey ? { id, type, correlationKey } : { id, type };
  },
  keepHeaders: ['x-event-key', 'x-request-uuid', 'x-hook-uuid', 'x-attempt-number'],
  sign(payload, cfg, opts) {
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Bitbucket-Webhooks/2.0',
        'x-event-key': opts.event ?? 'repo:push',
        'x-request-uuid': opts.deliveryId ?? randomUUID(),
        'x-hook-uuid': `{${randomUUID()}}`,
        'x-attempt-number': '1',
        'x-hub-signature': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
