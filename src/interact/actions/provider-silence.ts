import type { ConfiguredSource } from '../../pipeline/runtime.js';
import type { StoredEvent } from '../../store/types.js';
import { apiOf, baseOf, jsonHeaders, type ProviderApi, type ProviderPlan } from './provider-plan.js';
import { silenceMatchers } from './silence-matchers.js';

const PROVIDERS: Readonly<Record<string, { name: string; path: string; needsToken: boolean }>> = {
  // Alertmanager has no auth of its own; a token is sent only when one is configured (a proxy in front).
  alertmanager: { name: 'Alertmanager', path: '/api/v2', needsToken: false },
  // Grafana's built-in Alertmanager, behind a service-account token.
  grafana: { name: 'Grafana', path: '/api/alertmanager/grafana/api/v2', needsToken: true },
};

/** The provider name people see for a source that can hold silences; undefined for other types. */
export const silenceProvider = (source: ConfiguredSource): string | undefined => PROVIDERS[source.cfg.type]?.name;

const authHeader = (api: ProviderApi): Record<string, string> => (api.token ? { authorization: `Bearer ${api.token}` } : {});

/** Undefined for sources that hold no silences, or have no `api` (then Mute is ours alone). */
function usableApi(source: ConfiguredSource, sourceId: string): { api: ProviderApi; root: string; name: string } | { why: string } | undefined {
  const p = PROVIDERS[source.cfg.type];
  const api = apiOf(source);
  if (!p || !api) return undefined;
  if (p.needsToken && !api.token) return { why: `source \`${sourceId}\` has no \`api.token\`, so no silence is set in ${p.name}` };
  return { api, root: `${baseOf(api)}${p.path}`, name: p.name };
}

export interface SilenceSpec {
  /** The silence to extend: Alertmanager updates it in place, or replaces it and expires the old one. */
  readonly id?: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** `POST …/api/v2/silences` for the alert group the event is about, for the mute's time (with `id`: extends that silence). */
export function createSilencePlan(event: StoredEvent, source: ConfiguredSource, spec: SilenceSpec): ProviderPlan | undefined {
  const target = usableApi(source, event.source);
  if (!target) return undefined;
  if ('why' in target) return { kind: 'unavailable', why: target.why };
  const matchers = silenceMatchers(event.payload);
  if (matchers.length === 0) return { kind: 'unavailable', why: `this alert group names no labels to silence in ${target.name}` };
  const body = {
    ...(spec.id !== undefined && { id: spec.id }),
    matchers,
    startsAt: spec.startsAt.toISOString(),
    endsAt: spec.endsAt.toISOString(),
    createdBy: spec.createdBy,
    comment: spec.comment,
  };
  return {
    kind: 'request',
    provider: target.name,
    secrets: target.api.token ? [target.api.token] : [],
    request: {
      url: `${target.root}/silences`,
      method: 'POST',
      headers: { ...authHeader(target.api), ...jsonHeaders },
      body: JSON.stringify(body),
      what: `${spec.id !== undefined ? `extension of ${target.name} silence ${spec.id}` : `${target.name} silence`} of ${matchers.map((m) => `${m.name}="${m.value}"`).join(', ')}`,
    },
  };
}

/** `DELETE …/api/v2/silence/{id}`: expires a silence we made. */
export function expireSilencePlan(sourceId: string, source: ConfiguredSource, silenceId: string): ProviderPlan | undefined {
  const target = usableApi(source, sourceId);
  if (!target) {
    const name = silenceProvider(source);
    return name ? { kind: 'unavailable', why: `source \`${sourceId}\` has no \`api\` in the config any more, so the silence stays in ${name} until it ends` } : undefined;
  }
  if ('why' in target) return { kind: 'unavailable', why: target.why };
  return {
    kind: 'request',
    provider: target.name,
    secrets: target.api.token ? [target.api.token] : [],
    request: {
      url: `${target.root}/silence/${encodeURIComponent(silenceId)}`,
      method: 'DELETE',
      headers: authHeader(target.api),
      what: `expiry of ${target.name} silence ${silenceId}`,
    },
  };
}
