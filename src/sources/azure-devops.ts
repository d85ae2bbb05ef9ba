import { z } from 'zod';
import { basicAuth, commonSourceFields } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { SourceType } from './types.js';
import { basicHeader, verifyBasic } from './verify/basic.js';

const config = z.strictObject({
  type: z.literal('azure-devops'),
  basic: basicAuth.describe('basic authentication username and password set on the Web Hooks service hook'),
  ...commonSourceFields,
});

export type AzureDevopsConfig = z.infer<typeof config>;

/**
 * Where the thing an event is about keeps its id, by event family: `resource.id` is the build or
 * release for their events, but an update's own id for work items and a push id for git pushes.
 */
const subjects: readonly [RegExp, string, string][] = [
  [/^git\.pullrequest\./, 'pullrequest', 'resource.pullRequestId'],
  [/^workitem\./, 'workitem', 'resource.workItemId'],
  [/^build\./, 'build', 'resource.id'],
  [/^ms\.vss-pipelines\.(run|stage|job)-state-changed-event$/, 'run', 'resource.run.id'],
  [/^ms\.vss-release\.deployment-/, 'release', 'resource.deployment.release.id'],
  [/^ms\.vss-release\.release-/, 'release', 'resource.release.id'],
];

/** `<project id>:<kind>:<id>`, e.g. `6ce954b1-…:build:1`; events outside the known families use `resource.id`. */
export function azureDevopsCorrelationKey(eventType: string, payload: unknown): string | undefined {
  const [, kind, path] = subjects.find(([pattern]) => pattern.test(eventType)) ?? [undefined, eventType.split('.')[0]!, 'resource.id'];
  const id = readText(payload, path);
  if (!id) return undefined;
  const project = readText(payload, 'resourceContainers.project.id') ?? readText(payload, 'resourceContainers.collection.id');
  return project ? `${project}:${kind}:${id}` : `${kind}:${id}`;
}

export const azureDevops: SourceType<AzureDevopsConfig> = {
  type: 'azure-devops',
  area: 'ci',
  summary: 'Azure DevOps service hooks (Web Hooks consumer): builds, pipelines, releases, pull requests, work items',
  verification: 'Authorization: Basic <username:password> set on the subscription (Azure DevOps signs nothing)',
  config,
  verify: (req, cfg) => verifyBasic(req, [cfg.basic]),
  describe(_req, payload) {
    const type = requireText(payload, 'eventType');
    const correlationKey = azureDevopsCorrelationKey(type, payload);
    const created = Date.parse(readText(payload, 'createdDate') ?? '');
    const version = readText(payload, 'resourceVersion');
    return {
      id: requireText(payload, 'id'),
      type,
      ...(correlationKey && { correlationKey }),
      ...(Number.isFinite(created) && { occurredAt: new Date(created) }),
      ...(version && { version }),
    };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json; charset=utf-8', authorization: basicHeader(cfg.basic) }, body: payload };
  },
};
