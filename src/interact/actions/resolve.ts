import { formatUtc } from '../../render/helpers/time.js';
import { findCopies, refreshCopies } from '../message-copies.js';
import { ProviderMarks } from '../provider-marks.js';
import { actor, type ActionContext } from './action-context.js';
import { callApi } from './api-call.js';
import { resolvePlan } from './provider-actions.js';

/**
 * Resolves the incident, alert or issue at the provider (PagerDuty, Opsgenie, Sentry). Only a call
 * the provider accepted shows "Resolved by" on the message; a failed one is said in the thread with
 * the provider's answer, and the button stays usable. The provider's own webhook about the new
 * state then updates the same message (same correlation key); it never calls the API again.
 */
export async function resolve(c: ActionContext): Promise<void> {
  const { deps, ix, event } = c;
  const plan = resolvePlan(c);
  if (!plan) {
    return ix.reply({
      visibility: 'private',
      text: `Resolve is not available for \`${event.source}\` (${c.source.cfg.type}): it resolves PagerDuty incidents, Opsgenie alerts and Sentry issues. Resolve it in the provider.`,
    });
  }
  if (plan.kind === 'unavailable') return ix.reply({ visibility: 'private', text: `Resolve is not available: ${plan.why}.` });
  const { key } = await findCopies(deps, event);
  const marks = new ProviderMarks(deps.store.kv);
  const done = await marks.get('resolve', key);
  if (done?.ok) return ix.reply({ visibility: 'private', text: `Already resolved by ${done.by} at ${formatUtc(new Date(done.at))}.` });
  const outcome = await callApi(plan.request, deps.apiTimeoutMs, plan.secrets);
  const at = deps.now().toISOString();
  await marks.set('resolve', key, { by: actor(c), ok: outcome.ok, at, provider: plan.provider, detail: outcome.detail });
  await deps.audit.append({
    at, platform: ix.platform, userId: ix.user.id, user: actor(c), action: 'resolve', subject: `${event.source}/${event.id}`,
    detail: `${outcome.ok ? 'ok' : 'failed'}: ${outcome.detail}`,
  });
  const r = await refreshCopies(deps, event, ix);
  if (!outcome.ok) return ix.reply({ visibility: 'thread', text: `⚠️ Resolve by ${actor(c)} failed: ${outcome.detail}` });
  if (r.updated === 0) await ix.reply({ visibility: 'private', text: `Resolved in ${plan.provider}: ${outcome.detail}.` });
}
