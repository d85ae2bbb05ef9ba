import { describe, expect, it } from 'vitest';
import { sequence, type Stage, type StageEnv } from '../../../src/delivery/stage.js';

const env: StageEnv = {
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(0),
};
const add = (n: number): Stage<number> => ({ name: `add${n}`, run: async (x) => x + n });
const stop: Stage<number> = { name: 'stop', run: async () => undefined };

describe('sequence', () => {
  it('passes the value through every stage in order', async () => {
    const s = sequence(add(1), add(10));
    expect(s.name).toBe('add1 > add10');
    expect(await s.run(0, env)).toBe(11);
  });

  it('stops at the first stage that returns undefined', async () => {
    let reached = false;
    const spy: Stage<number> = { name: 'spy', run: async (x) => ((reached = true), x) };
    expect(await sequence(add(1), stop, spy).run(0, env)).toBeUndefined();
    expect(reached).toBe(false);
  });

  it('lets a stage failure through to the caller', async () => {
    const fail: Stage<number> = { name: 'fail', run: async () => Promise.reject(new Error('nope')) };
    await expect(sequence(add(1), fail).run(0, env)).rejects.toThrow('nope');
  });
});
