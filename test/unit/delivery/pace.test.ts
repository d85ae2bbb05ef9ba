import { describe, expect, it } from 'vitest';
import { createPacer, platformPace, type PaceClock } from '../../../src/delivery/pace.js';

/** A clock that advances only when a caller sleeps, so pacing is checked without real waits. */
function fakeClock(): PaceClock & { t: number; sleeps: number[] } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
    },
  };
  return clock;
}

describe('createPacer', () => {
  it('spaces Slack sends on one channel one second apart, in call order', async () => {
    const clock = fakeClock();
    const pacer = createPacer(clock);
    const waits = await Promise.all([1, 2, 3, 4].map(() => pacer.wait('slack:C1', platformPace.slack)));
    expect(waits).toEqual([0, 1000, 2000, 3000]);
  });

  it('lets five Discord sends through per five seconds, then waits for the window', async () => {
    const clock = fakeClock();
    const pacer = createPacer(clock);
    const waits = await Promise.all(Array.from({ length: 12 }, () => pacer.wait('discord:1', platformPace.discord)));
    expect(waits).toEqual([0, 0, 0, 0, 0, 5000, 5000, 5000, 5000, 5000, 10_000, 10_000]);
  });

  it('paces channels independently', async () => {
    const pacer = createPacer(fakeClock());
    expect(await pacer.wait('slack:C1', platformPace.slack)).toBe(0);
    expect(await pacer.wait('slack:C2', platformPace.slack)).toBe(0);
    expect(await pacer.wait('slack:C1', platformPace.slack)).toBe(1000);
  });

  it('waits only for what is left of the window as time passes', async () => {
    const clock = fakeClock();
    const pacer = createPacer(clock);
    await pacer.wait('slack:C1', platformPace.slack);
    clock.t = 400;
    expect(await pacer.wait('slack:C1', platformPace.slack)).toBe(600);
    clock.t = 5000;
    expect(await pacer.wait('slack:C1', platformPace.slack)).toBe(0);
  });

  it('does not pace without a limit (console)', async () => {
    const clock = fakeClock();
    const pacer = createPacer(clock);
    for (let i = 0; i < 5; i++) expect(await pacer.wait('console', platformPace.console)).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('really sleeps with the default clock', async () => {
    const pacer = createPacer();
    await pacer.wait('k', { count: 1, perMs: 30 });
    const started = Date.now();
    expect(await pacer.wait('k', { count: 1, perMs: 30 })).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10);
  });
});
