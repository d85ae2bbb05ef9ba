import type { Platform } from '../render/message.js';

/** At most `count` sends per `perMs` window. */
export interface PaceLimit {
  readonly count: number;
  readonly perMs: number;
}

export const platformPace: Readonly<Record<Platform, PaceLimit | undefined>> = {
  // https://docs.slack.dev/apis/web-api/rate-limits (chat.postMessage: about one message per second per channel)
  slack: { count: 1, perMs: 1000 },
  // https://discord.com/developers/docs/topics/rate-limits (per-channel message bucket, commonly 5 per 5 s)
  discord: { count: 5, perMs: 5000 },
  console: undefined,
};

export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Pacer {
  /** Resolves when a send on `key` fits the limit; returns how long it waited. */
  wait(key: string, limit: PaceLimit | undefined): Promise<number>;
}

const realClock: PaceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Per-channel pacing inside one process: a burst for one channel is spread out before it reaches
 * the platform, instead of being sent at once and coming back as 429s. Slots are reserved
 * synchronously, so concurrent callers for the same key queue in call order.
 */
export function createPacer(clock: PaceClock = realClock): Pacer {
  const slots = new Map<string, number[]>();

  function reserve(key: string, limit: PaceLimit): number {
    const now = clock.now();
    const taken = (slots.get(key) ?? []).filter((t) => t > now - limit.perMs);
    const at = taken.length < limit.count ? now : Math.max(now, taken[taken.length - limit.count]! + limit.perMs);
    taken.push(at);
    slots.set(key, taken);
    return at - now;
  }

  return {
    async wait(key, limit) {
      if (!limit) return 0;
      const delay = reserve(key, limit);
      if (delay > 0) await clock.sleep(delay);
      return delay;
    },
  };
}
