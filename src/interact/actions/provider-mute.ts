import { formatUtc } from '../../render/helpers/time.js';
import { ProviderSilences } from '../provider-silences.js';
import { stateKeys } from '../message-state.js';
import { actor, type ActionContext } from './action-context.js';
import { callApi } from './api-call.js';
import { createSilencePlan, silenceProvider } from './provider-silence.js';

export interface SilenceOutcome {
  readonly ok: boolean;
  readonly provider: string;
  /** For people: what was made, or why not (never a token). */
  readonly detail: string;
  readonly id?: string;
}

/** The comment a silence made by the Mute button carries (the button asks no reason). */
export const MUTE_COMMENT = 'muted from chat';

const silenceIdOf = (json: unknown): string | undefined => {
  const id = json !== null && typeof json === 'object' ? (json as { silenceID?: unknown }).silenceID : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/**
 * Mute on an Alertmanager or Grafana alert group also silences the group's labels at the provider
 * until the mute ends, and remembers the silence id beside the mute for unmute to expire. A group
 * already silenced by an earlier mute is not silenced twice. Undefined when the source has no
 * silences to make (other types, or no `api`): the mute alone is what it always was.
 */
export async function silenceAtProvider(c: ActionContext, key: string, startsAt: Date, endsAt: Date): Promise<SilenceOutcome | undefined> {
  const plan = createSilencePlan(c.event, c.source, { createdBy: actor(c), comment: MUTE_COMMENT, startsAt, endsAt });
  if (!plan) return undefined;
  if (plan.kind === 'unavailable') return { ok: false, provider: silenceProvider(c.source) ?? 'the provider', detail: plan.why };
  const silences = new ProviderSilences(c.deps.store.kv, c.deps.now);
  const existing = await silences.forKey(c.event.source, stateKeys(c.event));
  if (existing) return { ok: true, provider: existing.provider, id: existing.id, detail: `already silenced in ${existing.provider} until ${formatUtc(new Date(existing.until))}` };
  const outcome = await callApi(plan.request, c.deps.apiTimeoutMs, plan.secrets);
  if (!outcome.ok) return { ok: false, provider: plan.provider, detail: outcome.detail };
  const id = silenceIdOf(outcome.json);
  if (!id) return { ok: false, provider: plan.provider, detail: `${plan.request.what}: ${plan.provider} answered without a silence id` };
  await silences.add(c.event.source, { id, key, provider: plan.provider, by: actor(c), until: endsAt.toISOString() });
  return { ok: true, provider: plan.provider, id, detail: `${plan.request.what} (silence ${id})` };
}
