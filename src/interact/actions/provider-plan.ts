import type { ConfiguredSource } from '../../pipeline/runtime.js';
import type { ApiRequest } from './api-call.js';
import { trimSlash } from './retry-plan.js';

/**
 * What a button would do at the provider: call its API, or explain why it can't. Providers answer
 * undefined when the event is not one they act on at all (then the button works as before).
 */
export type ProviderPlan =
  | { readonly kind: 'request'; readonly request: ApiRequest; readonly secrets: readonly string[]; readonly provider: string }
  | { readonly kind: 'unavailable'; readonly why: string };

/** A source's `api` block; `from` is PagerDuty's acting user. */
export interface ProviderApi {
  readonly url: string;
  readonly token?: string;
  readonly from?: string;
}

export const apiOf = (source: ConfiguredSource): ProviderApi | undefined => (source.cfg as { api?: ProviderApi }).api;

/** The API base without trailing slashes, so paths join cleanly whatever was configured. */
export const baseOf = (api: ProviderApi): string => trimSlash(api.url);

export function noToken(source: string, provider: string, what: string): ProviderPlan {
  return { kind: 'unavailable', why: `source \`${source}\` has no \`api\` with a token in the config, so ${what} cannot act in ${provider}` };
}

export const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json' } as const;
