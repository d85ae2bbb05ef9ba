import { readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import { noToken, trimSlash, type ApiConfig, type RetryPlan } from './retry-plan.js';

/** The host (`https://circleci.com`); a URL ending in `/api/v2`, as older examples showed, works too. */
function hostOf(url: string): string {
  return trimSlash(url).replace(/\/api\/v2$/, '');
}

/**
 * CircleCI: re-run the workflow from its failed jobs (POST /api/v2/workflow/{id}/rerun). Both
 * workflow-completed and job-completed carry the workflow, so either can be retried.
 */
export function circleciRetry(event: StoredEvent, api: ApiConfig | undefined): RetryPlan | undefined {
  const workflow = readText(event.payload, 'workflow.id');
  if (!workflow) return undefined;
  if (!api?.token) return noToken(event.source, 're-run CircleCI workflows');
  const name = readText(event.payload, 'workflow.name');
  return {
    kind: 'request',
    secrets: [api.token],
    request: {
      url: `${hostOf(api.url)}/api/v2/workflow/${encodeURIComponent(workflow)}/rerun`,
      method: 'POST',
      headers: { 'circle-token': api.token, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ from_failed: true }),
      what: `re-run of workflow ${name ? `${name} (${workflow})` : workflow} from failed`,
    },
  };
}
