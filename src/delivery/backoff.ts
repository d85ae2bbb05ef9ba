import type { FailureReason } from '../chat/target.js';

export interface BackoffPolicy {
  /** First delay, and the floor of every delay. */
  readonly min: number;
  /** Cap for the computed delay (a platform's Retry-After may exceed it). */
  readonly max: number;
}

export interface RetryFailure {
  readonly reason: FailureReason;
  /** What the platform asked for (Retry-After, retry_after), in ms. */
  readonly retryAfterMs?: number;
}

/**
 * Delay before the next try after `attempt` (1 = the first try) failed. Exponential backoff with
 * full jitter between `min` and the exponential bound, so a burst of failures does not come back
 * in lockstep. A platform's Retry-After wins: we never come back before it (that only collects
 * another 429), and a little jitter on top spreads jobs that were limited together. A 429 without
 * Retry-After backs off one step further than other failures.
 */
export function nextDelay(
  attempt: number,
  failure: RetryFailure,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const { min, max } = policy;
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) {
    const wait = Math.ceil(failure.retryAfterMs);
    return Math.max(wait, Math.min(max, Math.round(wait + random() * min)));
  }
  const step = Math.max(1, Math.floor(attempt)) + (failure.reason === 'rate_limited' ? 1 : 0);
  const bound = Math.min(max, min * 2 ** (step - 1));
  return Math.round(min + random() * Math.max(0, bound - min));
}
