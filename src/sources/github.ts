import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { apiConfig, commonSourceFields, secrets } from './config-fields.js';
import { parseJson, parseJsonText } from './parse-json.js';
import { readText } from './read-path.js';
import { requireHeader } from './required.js';
import { MalformedRequestError, type SourceType } from './types.js';
import { type HeaderScheme, hmacVerifier, signHmac } from './verify/hmac.js';

const config = z.strictObject({
  type: z.literal('github'),
  secret: secrets.describe('webhook secret set in GitHub; a list while rotating'),
  api: apiConfig.optional(),
  ...commonSourceFields,
});

export type GithubConfig = z.infer<typeof config>;

const scheme: HeaderScheme = { header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

/**
 * Which thing an event is about, so that its messages update one another: a workflow run and its
 * jobs share the run, reviews and comments on a pull request share the pull request.
 */
const subjects: Record<string, { kind: string; path: string }> = {
  workflow_run: { kind: 'workflow_run', path: 'workflow_run.id' },
  workflow_job: { kind: 'workflow_run', path: 'workflow_job.run_id' },
  deployment_review: { kind: 'workflow_run', path: 'workflow_run.id' },
  check_suite: { kind: 'check_suite', path: 'check_suite.id' },
  check_run: { kind: 'check_suite', path: 'check_run.check_suite.id' },
  pull_request: { kind: 'pull_request', path: 'pull_request.number' },
  pull_request_review: { kind: 'pull_request', path: 'pull_request.number' },
  pull_request_review_comment: { kind: 'pull_request', path: 'pull_request.number' },
  pull_request_review_thread: { kind: 'pull_request', path: 'pull_request.number' },
  issues: { kind: 'issue', path: 'issue.number' },
  issue_comment: { kind: 'issue', path: 'issue.number' },
  deployment: { kind: 'deployment', path: 'deployment.id' },
  deployment_status: { kind: 'deployment', path: 'deployment.id' },
  release: { kind: 'release', path: 'release.id' },
};

/** `owner/repo:<kind>:<id>`, e.g. `acme/app:workflow_run:30433642`; undefined for other events. */
export function githubCorrelationKey(event: string, payload: unknown): string | undefined {
  const subject = subjects[event];
  const repo = readText(payload, 'repository.full_name');
  if (!subject || !repo) return undefined;
  const id = readText(payload, subject.path);
  if (!id) return undefined;
  // Comments on a pull request arrive as issue_comment; they belong with the pull request.
  const kind = event === 'issue_comment' && readText(payload, 'issue.pull_request.url') ? 'pull_request' : subject.kind;
  return `${repo}:${kind}:${id}`;
}

export const github: SourceType<GithubConfig> = {
  type: 'github',
  area: 'ci',
  summary: 'GitHub repository, organisation and app webhooks',
  verification: 'X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>',
  config,
  // A hook may be set to "application/x-www-form-urlencoded": the JSON then sits in the `payload`
  // field, and the signature still covers the form bytes as sent.
  contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
  verify: hmacVerifier(scheme),
  parse(req) {
    if (!req.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return parseJson(req);
    const payload = new URLSearchParams(req.body.toString('utf8')).get('payload');
    if (payload === null) throw new MalformedRequestError('form body has no payload field');
    return parseJsonText(payload);
  },
  describe(req, payload) {
    const id = requireHeader(req, 'x-github-delivery');
    const type = requireHeader(req, 'x-github-event');
    const correlationKey = githubCorrelationKey(type, payload);
    return correlationKey ? { id, type, correlationKey } : { id, type };
  },
  keepHeaders: ['x-github-event', 'x-github-delivery', 'x-github-hook-id'],
  sign(payload, cfg, opts) {
    if (!opts.event) throw new Error('github needs an event name (X-GitHub-Event), e.g. workflow_run');
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/hookbridge',
        'x-github-event': opts.event,
        'x-github-delivery': opts.deliveryId ?? randomUUID(),
        'x-hub-signature-256': signHmac(scheme, cfg.secret[0]!, [payload]),
      },
      body: payload,
    };
  },
};
