import { ProviderMarks, type ProviderMark } from '../provider-marks.js';
import { actor, type ActionContext } from './action-context.js';
import { callApi } from './api-call.js';
import { ackPlan } from './provider-actions.js';

/**
 * After our own ack is recorded, acknowledges at the provider where the source has an `api`
 * (PagerDuty, Opsgenie). Answers the outcome, or undefined when there was nothing to call: without
 * an `api` Ack works as it always did.
 */
export async function acknowledgeAtProvider(c: ActionContext, key: string): Promise<ProviderMark | undefined> {
  const plan = ackPlan(c);
  if (plan?.kind !== 'request') return undefined;
  const outcome = await callApi(plan.request, c.deps.apiTimeoutMs, plan.secrets);
  const mark: ProviderMark = { by: actor(c), ok: outcome.ok, at: c.deps.now().toISOString(), provider: plan.provider, detail: outcome.detail };
  await new ProviderMarks(c.deps.store.kv).set('ack', key, mark);
  return mark;
}
