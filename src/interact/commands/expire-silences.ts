import { callApi } from '../actions/api-call.js';
import { expireSilencePlan } from '../actions/provider-silence.js';
import type { InteractDeps } from '../interact-deps.js';
import { ProviderSilences } from '../provider-silences.js';

/**
 * Expires at the provider the silences Mute made for a source and forgets them. Answers one line per
 * silence for the person who unmuted: done, or why not (status and reason, never a token).
 */
export async function expireSilences(deps: InteractDeps, source: string): Promise<string[]> {
  const silences = await new ProviderSilences(deps.store.kv, deps.now).take(source);
  const configured = deps.runtime().sources.get(source);
  const lines: string[] = [];
  for (const s of silences) {
    const plan = configured ? expireSilencePlan(source, configured, s.id) : undefined;
    if (!plan) lines.push(`⚠️ ${s.provider} silence ${s.id} was left to end on its own: the source is no longer one that holds silences.`);
    else if (plan.kind === 'unavailable') lines.push(`⚠️ ${s.provider} silence ${s.id} was not expired: ${plan.why}.`);
    else {
      const outcome = await callApi(plan.request, deps.apiTimeoutMs, plan.secrets);
      lines.push(outcome.ok ? `🔊 Expired ${s.provider} silence ${s.id}.` : `⚠️ ${s.provider} silence ${s.id} could not be expired: ${outcome.detail}`);
    }
  }
  return lines;
}
