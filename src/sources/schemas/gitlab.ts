import { z } from 'zod';

/** The GitLab payload fields the built-in templates (templates/gitlab/*.hbs) rely on, per event type. */
const project = z.looseObject({ path_with_namespace: z.string(), web_url: z.string() });
const user = z.looseObject({ username: z.string() });

export const gitlabSchemas: Record<string, z.ZodType> = {
  pipeline: z.looseObject({
    object_attributes: z.looseObject({ id: z.number(), status: z.string(), ref: z.string(), sha: z.string() }),
    project,
    user,
  }),
  // Job events still say `object_kind: build` in the body; hookbridge calls them `job`.
  job: z.looseObject({
    build_id: z.number(),
    build_name: z.string(),
    build_status: z.string(),
    pipeline_id: z.number(),
    ref: z.string(),
    sha: z.string(),
  }),
  merge_request: z.looseObject({
    object_attributes: z.looseObject({
      iid: z.number(),
      title: z.string(),
      state: z.string(),
      url: z.string(),
      source_branch: z.string(),
      target_branch: z.string(),
    }),
    project,
    user,
  }),
  issue: z.looseObject({
    object_attributes: z.looseObject({ iid: z.number(), title: z.string(), state: z.string(), url: z.string() }),
    project,
    user,
  }),
  note: z.looseObject({
    object_attributes: z.looseObject({ note: z.string(), noteable_type: z.string(), url: z.string() }),
    project,
    user,
  }),
  push: z.looseObject({
    ref: z.string(),
    before: z.string(),
    after: z.string(),
    total_commits_count: z.number(),
    commits: z.array(z.unknown()),
    user_username: z.string(),
    project,
  }),
  tag_push: z.looseObject({ ref: z.string(), after: z.string(), user_username: z.string(), project }),
  release: z.looseObject({ action: z.string(), tag: z.string(), url: z.string(), project }),
  deployment: z.looseObject({ status: z.string(), environment: z.string(), deployment_id: z.number(), ref: z.string(), project }),
  '*': z.looseObject({ object_kind: z.string() }),
};
