import type { ApiRequest } from './api-call.js';

/**
 * What Retry would do for an event: call an API, or explain why it can't. Providers answer
 * undefined when the event is not one they can retry at all.
 */
export type RetryPlan =
  | { readonly kind: 'request'; readonly request: ApiRequest; readonly secrets: readonly string[] }
  | { readonly kind: 'unavailable'; readonly why: string };

export interface ApiConfig {
  readonly url: string;
  readonly token?: string;
}

export const trimSlash = (url: string): string => url.replace(/\/+$/, '');
