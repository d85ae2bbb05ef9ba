import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { verifyTokenHeader } from './verify/token.js';

const config = z.strictObject({
  type: z.literal('gitlab'),
  secret: secrets.describe('the "Secret token" set on the GitLab webhook; a list while rotating'),
  api: apiConfig.optional(),
  ...commonSourceFields,
});

export type GitlabConfig = z.infer<typeof config>;

/** GitLab still calls job events `build` in the body; everything else keeps its object_kind. */
const renamed: Record<string, string> = { build: 'job' };

export function gitlabEventType(payload: unknown): string {
  const kind = requireText(payload, 'object_kind');
  return renamed[kind] ?? kind;
}

function noteSubject(payload: unknown): [string, string | undefined] | undefined {
  const on = readText(payload, 'object_attributes.noteable_type');
  if (on === 'MergeRequest') return ['merge_request', readText(payload, 'merge_request.iid')];
  if (on === 'Issue') return ['issue', readText(payload, 'issue.iid')];
  return undefined;
}

/**
 * `<project id>:<kind>:<id>`, e.g. `15:pipeline:31` or `15:merge_request:1`; the numeric project id
 * survives renames and transfers. Jobs belong with their pipeline, notes with their MR or issue.
 */
export function gitlabCorrelationKey(type: string, payload: unknown): string | undefined {
  const project = readText(payload, 'project.id') ?? readText(payload, 'project_id');
  const subject: [string, string | undefined] | undefined =
    type === 'pipeline' ? ['pipeline', readText(payload, 'object_attributes.id')]
    : type === 'job' ? ['pipeline', readText(payload, 'pipeline_id')]
    : type === 'merge_request' ? ['merge_request', readText(payload, 'object_attributes.iid')]
    : type === 'issue' ? ['issue', readText(payload, 'object_attributes.iid')]
    : type === 'note' ? noteSubject(payload)
    : undefined;
  if (!project || !subject || !subject[1]) return undefined;
  return `${project}:${subject[0]}:${subject[1]}`;
}

/** `merge_request` → `Merge Request Hook`, the X-Gitlab-Event value GitLab sends. */
function hookName(objectKind: string): string {
  const words = (objectKind === 'build' ? 'job' : objectKind).split('_');
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')} Hook`;
}

export const gitlab: SourceType<GitlabConfig> = {
  type: 'gitlab',
  area: 'ci',
  summary: 'GitLab project and group webhooks',
  verification: 'X-Gitlab-Token equals the configured secret token',
  config,
  verify: (req, cfg) => verifyTokenHeader(req, 'x-gitlab-token', cfg.secret),
  describe(req, payload) {
    const type = gitlabEventType(payload);
    // Idempotency-Key (GitLab 17.4+) survives retries and manual resends. Older instances get the
    // body hash, not X-Gitlab-Event-UUID: that UUID is new on every resend (so a resend would be
    // posted again), and webhooks fired by a request that carried one (an API call made while
    // handling a webhook) reuse it, so distinct events sharing it would be dropped as duplicates.
    const id = req.headers['idempotency-key']?.trim() || bodyHash(req.body);
    const correlationKey = gitlabCorrelationKey(type, payload);
    return correlationKey ? { id, type, correlationKey } : { id, type };
  },
  keepHeaders: ['x-gitlab-event', 'x-gitlab-event-uuid', 'x-gitlab-webhook-uuid', 'x-gitlab-instance', 'idempotency-key'],
  sign(payload, cfg, opts) {
    const kind = readText(JSON.parse(payload.toString('utf8')), 'object_kind') ?? 'push';
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitLab/hookbridge',
        'x-gitlab-event': opts.event ?? hookName(kind),
        'x-gitlab-token': cfg.secret[0]!,
        'x-gitlab-event-uuid': randomUUID(),
        'idempotency-key': opts.deliveryId ?? randomUUID(),
      },
      body: payload,
    };
  },
};
