import { z } from 'zod';

/**
 * The GitHub payload fields the built-in templates (templates/github/*.hbs) rely on, per event.
 * Keys GitHub documents as nullable are nullable here: present-but-null is a valid state (a run
 * that has not concluded), absent is not.
 */
const repository = z.looseObject({ full_name: z.string() });
const user = z.looseObject({ login: z.string() });

export const githubSchemas: Record<string, z.ZodType> = {
  workflow_run: z.looseObject({
    workflow_run: z.looseObject({
      id: z.number(),
      name: z.string().nullable(),
      status: z.string().nullable(),
      conclusion: z.string().nullable(),
      html_url: z.string(),
      head_branch: z.string().nullable(),
      head_sha: z.string(),
    }),
    repository,
  }),
  workflow_job: z.looseObject({
    workflow_job: z.looseObject({
      id: z.number(),
      run_id: z.number(),
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable(),
      html_url: z.string().nullable(),
      head_sha: z.string(),
    }),
    repository,
  }),
  check_run: z.looseObject({
    check_run: z.looseObject({
      id: z.number(),
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable(),
      head_sha: z.string(),
    }),
    repository,
  }),
  check_suite: z.looseObject({
    check_suite: z.looseObject({
      id: z.number(),
      status: z.string().nullable(),
      conclusion: z.string().nullable(),
      head_sha: z.string(),
      head_branch: z.string().nullable(),
    }),
    repository,
  }),
  push: z.looseObject({ ref: z.string(), commits: z.array(z.unknown()), repository, sender: user }),
  pull_request: z.looseObject({
    action: z.string(),
    pull_request: z.looseObject({
      number: z.number(),
      title: z.string(),
      html_url: z.string(),
      head: z.looseObject({ ref: z.string() }),
      base: z.looseObject({ ref: z.string() }),
    }),
    repository,
  }),
  pull_request_review: z.looseObject({
    review: z.looseObject({ state: z.string(), user: user.nullable() }),
    pull_request: z.looseObject({ number: z.number(), title: z.string() }),
    repository,
  }),
  issues: z.looseObject({
    action: z.string(),
    issue: z.looseObject({ number: z.number(), title: z.string(), html_url: z.string() }),
    repository,
  }),
  issue_comment: z.looseObject({
    comment: z.looseObject({ body: z.string(), html_url: z.string(), user: user.nullable() }),
    issue: z.looseObject({ number: z.number(), title: z.string() }),
    repository,
  }),
  release: z.looseObject({
    action: z.string(),
    release: z.looseObject({ tag_name: z.string(), name: z.string().nullable(), html_url: z.string() }),
    repository,
  }),
  deployment_status: z.looseObject({
    deployment_status: z.looseObject({ state: z.string(), environment: z.string() }),
    deployment: z.looseObject({ id: z.number(), sha: z.string(), ref: z.string() }),
    repository,
  }),
  // The default template reads only optional fields; a payload must still be an object.
  '*': z.looseObject({}),
};
