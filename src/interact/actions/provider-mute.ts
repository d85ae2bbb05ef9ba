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
  /** On failure, what stands instead, when not "no silence was set". */
  readonly standing?: string;
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
 * already silenced by an earlier mute gets that silence extended to the new end, not a second one
 * (the provider may answer with a new id for it; the old one is then expired by the provider). A
 * silence the provider no longer knows (deleted there) is made anew. Undefined when the source has
 * no silences to make (other types, or no `api`): the mute alone is what it always was.
 */
export async function silenceAtProvider(c: ActionContext, key: string, startsAt: Date, endsAt: Date): Promise<SilenceOutcome | undefined> {
  const spec = { createdBy: actor(c), comment: MUTE_COMMENT, startsAt, endsAt };
  const plan = createSilencePlan(c.event, c.source, spec);
  if (!plan) return undefined;
  if (plan.kind === 'unavailable') return { ok: false, provider: silenceProvider(c.source) ?? 'the provider', detail: plan.why };
  const silences = new ProviderSilences(c.deps.store.kv, c.deps.now);
  const existing = await silences.forKey(c.event.source, stateKeys(c.event));
  if (existing && Date.parse(existing.until) >= endsAt.getTime()) {
    return { ok: true, provider: existing.provider, id: existing.id, detail: `already silenced in ${existing.provider} until ${formatUtc(new Date(existing.until))}` };
  }
  let made = { request: plan.request, startsAt };
  if (existing) {
    // Alertmanager updates an active silence in place only when its start is unchanged.
    const since = existing.startsAt ? new Date(existing.startsAt) : startsAt;
    const extension = createSilencePlan(c.event, c.source, { ...spec, id: existing.id, startsAt: since });
    if (extension?.kind === 'request') made = { request: extension.request, startsAt: since };
  }
  let outcome = await callApi(made.request, c.deps.apiTimeoutMs, plan.secrets);
  if (existing && outcome.status === 404) {
    made = { request: plan.request, startsAt };
    outcome = await callApi(plan.request, c.deps.apiTimeoutMs, plan.secrets);
  }
  if (!outcome.ok) {
    const standing = existing ? `the ${plan.provider} silence ${existing.id} was not extended and still ends at ${formatUtc(new Date(existing.until))}` : undefined;
    return { ok: false, provider: plan.provider, detail: outcome.detail, ...(standing && { standing }) };
  }
  const id = silenceIdOf(outcome.json);
  if (!id) return { ok: false, provider: plan.provider, detail: `${made.request.what}: ${plan.provider} answered without a silence id` };
  await silences.add(c.event.source, { id, key, provider: plan.provider, by: actor(c), until: endsAt.toISOString(), startsAt: made.startsAt.toISOString() }, existing?.id);
  const extended = existing && made.request !== plan.request;
  const detail = extended
    ? `${plan.provider} silence ${existing.id}${id === existing.id ? '' : ` (now ${id})`} extended until ${formatUtc(endsAt)}`
    : `${made.request.what} (silence ${id})`;
  return { ok: true, provider: plan.provider, id, detail };
}
