import type { StoredEvent } from '../../store/types.js';
import type { ConfiguredSource } from '../../pipeline/runtime.js';
import { refreshCopies, findCopies } from '../message-copies.js';
import { RetryMarks } from '../retry-marks.js';
import { actor, type ActionContext } from './action-context.js';
import { callApi, type ApiOutcome } from './api-call.js';
import { buildkiteRetry } from './retry-buildkite.js';
import { circleciRetry } from './retry-circleci.js';
import { redriveDeadLetters } from './retry-dead-letter.js';
import { githubRetry } from './retry-github.js';
import { gitlabRetry } from './retry-gitlab.js';
import { httpRetry, type HttpActionConfig } from './retry-http.js';
import { jenkinsRetry } from './retry-jenkins.js';
import type { ApiConfig, RetryPlan } from './retry-plan.js';

/** Source types whose provider API can re-run the failed thing, given the source's `api`. */
const providerRetries: Readonly<Record<string, (event: StoredEvent, api: ApiConfig | undefined) => RetryPlan | undefined>> = {
  github: githubRetry,
  gitlab: gitlabRetry,
  circleci: circleciRetry,
  buildkite: buildkiteRetry,
  jenkins: jenkinsRetry,
};

/**
 * Which retry applies, most specific first. A provider retry that cannot run (no `api` token)
 * gives way to a configured HTTP action, so adding a provider never takes one away.
 */
function planFor(event: StoredEvent, source: ConfiguredSource): RetryPlan | undefined {
  const cfg = source.cfg as { api?: ApiConfig; retry?: HttpActionConfig };
  const provider = providerRetries[source.cfg.type]?.(event, cfg.api);
  if (provider?.kind === 'unavailable') return httpRetry(event, cfg.retry) ?? provider;
  return provider ?? httpRetry(event, cfg.retry);
}

async function attempt(c: ActionContext): Promise<ApiOutcome | { unavailable: string }> {
  const redriven = await redriveDeadLetters(c.deps.store.queue, c.event);
  if (redriven) return redriven;
  const plan = planFor(c.event, c.source);
  if (!plan) return { unavailable: `Retry is not available for this ${c.source.cfg.type} event (\`${c.event.type}\`).` };
  if (plan.kind === 'unavailable') return { unavailable: `Retry is not available: ${plan.why}.` };
  if (plan.kind === 'run') return plan.run(c.deps.apiTimeoutMs);
  return callApi(plan.request, c.deps.apiTimeoutMs, plan.secrets);
}

/**
 * Re-runs the failed thing (or our failed delivery). The outcome goes in the thread for the
 * channel to see and on the message itself; an impossible retry is answered privately.
 */
export async function retry(c: ActionContext): Promise<void> {
  const { deps, ix, event } = c;
  const outcome = await attempt(c);
  if ('unavailable' in outcome) return ix.reply({ visibility: 'private', text: outcome.unavailable });
  const at = deps.now().toISOString();
  const { key } = await findCopies(deps, event);
  await new RetryMarks(deps.store.kv).set(key, { by: actor(c), ok: outcome.ok, at, detail: outcome.detail });
  await deps.audit.append({ at, platform: ix.platform, userId: ix.user.id, user: actor(c), action: 'retry', subject: `${event.source}/${event.id}`, detail: `${outcome.ok ? 'ok' : 'failed'}: ${outcome.detail}` });
  await refreshCopies(deps, event, ix);
  const text = outcome.ok ? `🔁 Retry by ${actor(c)}: ${outcome.detail}` : `⚠️ Retry by ${actor(c)} failed: ${outcome.detail}`;
  await ix.reply({ visibility: 'thread', text });
}
