import { readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import { trimSlash, type ApiConfig, type RetryPlan } from './retry-plan.js';

/** The workflow run an event is about: the run itself, or the run of a job. */
function runOf(event: StoredEvent): string | undefined {
  if (event.type === 'workflow_run') return readText(event.payload, 'workflow_run.id');
  if (event.type === 'workflow_job') return readText(event.payload, 'workflow_job.run_id');
  return undefined;
}

/** GitHub Actions: re-run the failed jobs of the run (POST …/actions/runs/{id}/rerun-failed-jobs). */
export function githubRetry(event: StoredEvent, api: ApiConfig | undefined): RetryPlan | undefined {
  const run = runOf(event);
  const repo = readText(event.payload, 'repository.full_name');
  if (!run || !repo) return undefined;
  if (!api?.token) return { kind: 'unavailable', why: `source \`${event.source}\` has no \`api\` with a token in the config, so Retry cannot re-run GitHub workflows` };
  return {
    kind: 'request',
    secrets: [api.token],
    request: {
      url: `${trimSlash(api.url)}/repos/${repo.split('/').map(encodeURIComponent).join('/')}/actions/runs/${encodeURIComponent(run)}/rerun-failed-jobs`,
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      what: `re-run of the failed jobs of ${repo} run ${run}`,
    },
  };
}
