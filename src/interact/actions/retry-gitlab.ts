import { readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import { trimSlash, type ApiConfig, type RetryPlan } from './retry-plan.js';

/** The pipeline an event is about: a pipeline event, or the pipeline of a job (build) event. */
function pipelineOf(event: StoredEvent): { project: string; pipeline: string } | undefined {
  const kind = readText(event.payload, 'object_kind');
  const project = readText(event.payload, 'project.id') ?? readText(event.payload, 'project_id');
  const pipeline =
    kind === 'pipeline' ? readText(event.payload, 'object_attributes.id') : kind === 'build' ? readText(event.payload, 'pipeline_id') : undefined;
  return project && pipeline ? { project, pipeline } : undefined;
}

/** GitLab: retry the failed jobs of the pipeline (POST /projects/{id}/pipelines/{id}/retry). */
export function gitlabRetry(event: StoredEvent, api: ApiConfig | undefined): RetryPlan | undefined {
  const p = pipelineOf(event);
  if (!p) return undefined;
  if (!api?.token) return { kind: 'unavailable', why: `source \`${event.source}\` has no \`api\` with a token in the config, so Retry cannot retry GitLab pipelines` };
  return {
    kind: 'request',
    secrets: [api.token],
    request: {
      url: `${trimSlash(api.url)}/projects/${encodeURIComponent(p.project)}/pipelines/${encodeURIComponent(p.pipeline)}/retry`,
      method: 'POST',
      headers: { 'private-token': api.token },
      what: `retry of pipeline ${p.pipeline}`,
    },
  };
}
