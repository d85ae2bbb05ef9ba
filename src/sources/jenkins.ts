import { z } from 'zod';
import { apiConfig, basicAuth, commonSourceFields, secrets } from './config-fields.js';
import { requireText } from './required.js';
import { MalformedRequestError, type SourceType } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';

const config = z
  .strictObject({
    type: z.literal('jenkins'),
    token: secrets.optional().describe('bearer token the job sends (httpRequest / curl); a list while rotating'),
    basic: basicAuth.optional().describe('credentials in the Notification plugin URL (https://user:pass@host/hooks/<id>)'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .refine((c) => c.token !== undefined || c.basic !== undefined, {
    message: 'jenkins sends no signature: set token (bearer) or basic: { username, password }',
  });

export type JenkinsConfig = z.infer<typeof config>;

/** Notification plugin `build.phase` values (jenkinsci/notification-plugin Phase.java). */
const phases = new Set(['QUEUED', 'STARTED', 'COMPLETED', 'FINALIZED']);

export interface JenkinsBuild {
  readonly name: string;
  readonly number: string;
  readonly phase: string;
}

/** Job name, build number and phase, which every notification carries and together identify it. */
export function jenkinsBuild(payload: unknown): JenkinsBuild {
  const name = requireText(payload, 'name');
  const number = requireText(payload, 'build.number');
  const phase = requireText(payload, 'build.phase').toUpperCase();
  if (!phases.has(phase)) throw new MalformedRequestError('build.phase must be QUEUED, STARTED, COMPLETED or FINALIZED');
  return { name, number, phase };
}

export const jenkins: SourceType<JenkinsConfig> = {
  type: 'jenkins',
  area: 'ci',
  summary: 'Jenkins Notification plugin (or any job posting its JSON) build notifications',
  verification: 'Authorization: Basic <username:password> (from the plugin URL) or Bearer <token>; Jenkins signs nothing',
  config,
  verify: (req, cfg) => verifyCredentials(req, cfg),
  describe(_req, payload) {
    const b = jenkinsBuild(payload);
    // The plugin has no delivery id; a duplicate is the same phase of the same build. `build.timestamp`
    // is when the build started, not when this phase happened, so it is not given as occurredAt.
    return { id: `${b.name}#${b.number}:${b.phase}`, type: `build.${b.phase.toLowerCase()}`, correlationKey: `${b.name}#${b.number}` };
  },
  sign(payload, cfg) {
    return { headers: { 'content-type': 'application/json;charset=UTF-8', ...credentialHeaders(cfg) }, body: payload };
  },
};
