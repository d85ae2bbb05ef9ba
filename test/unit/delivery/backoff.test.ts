import { describe, expect, it } from 'vitest';
import { nextDelay } from '../../../src/delivery/backoff.js';

const policy = { min: 1000, max: 60_000 };
const low = () => 0;
const high = () => 1;
const mid = () => 0.5;

describe('nextDelay', () => {
  it.each([
    // attempt, reason, random, expected
    [1, 'server_error', low, 1000],
    [1, 'server_error', high, 1000],
    [2, 'server_error', high, 2000],
    [3, 'server_error', high, 4000],
    [3, 'network', mid, 2500],
    [4, 'timeout', high, 8000],
    [7, 'server_error', high, 60_000],
    [50, 'server_error', high, 60_000],
    [5000, 'server_error', mid, 30_500],
    [0, 'server_error', high, 1000],
    [1, 'rate_limited', high, 2000],
    [3, 'rate_limited', high, 8000],
  ] as const)('attempt %i after %s (random %s) waits %i ms', (attempt, reason, random, expected) => {
    expect(nextDelay(attempt, { reason }, policy, random)).toBe(expected);
  });

  it.each([
    // retryAfterMs, random, expected: never below Retry-After, jitter on top, capped at max
    [3000, low, 3000],
    [3000, high, 4000],
    [59_500, high, 60_000],
    [120_000, high, 120_000],
    [0, low, 0],
    [1250.4, low, 1251],
  ])('Retry-After %d ms (random %s) waits %i ms', (retryAfterMs, random, expected) => {
    expect(nextDelay(1, { reason: 'rate_limited', retryAfterMs }, policy, random)).toBe(expected);
  });

  it('Retry-After wins over a longer exponential step', () => {
    expect(nextDelay(6, { reason: 'rate_limited', retryAfterMs: 2000 }, policy, low)).toBe(2000);
  });

  it('stays within [min, max] for any random value', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      for (const r of [0, 0.1, 0.37, 0.99, 1]) {
        const d = nextDelay(attempt, { reason: 'server_error' }, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(policy.min);
        expect(d).toBeLessThanOrEqual(policy.max);
      }
    }
  });

  it('uses Math.random by default', () => {
    const d = nextDelay(3, { reason: 'network' }, policy);
    expect(d).toBeGreaterThanOrEqual(1000);
    expect(d).toBeLessThanOrEqual(4000);
  });
});
