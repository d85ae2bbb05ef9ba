import type { ApiOutcome, ApiRequest } from './api-call.js';

/**
 * What Retry would do for an event: call an API, or explain why it can't. Providers answer
 * undefined when the event is not one they can retry at all.
 */
export type RetryPlan =
  | { readonly kind: 'request'; readonly request: ApiRequest; readonly secrets: readonly string[] }
  | { readonly kind: 'unavailable'; readonly why: string }
  // For APIs that need more than one call (Jenkins fetches a CSRF crumb when refused without one).
  | { readonly kind: 'run'; readonly run: (timeoutMs: number) => Promise<ApiOutcome> };

export interface ApiConfig {
  readonly url: string;
  readonly token?: string;
}

export const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Why a provider retry cannot run without a token, in the words GitHub's and GitLab's use. */
export const noToken = (source: string, doing: string): RetryPlan => ({
  kind: 'unavailable',
  why: `source \`${source}\` has no \`api\` with a token in the config, so Retry cannot ${doing}`,
});
