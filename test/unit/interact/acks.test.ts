import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { AckStore, type Ack } from '../../../src/interact/acks.js';

const ack = (by: string): Ack => ({ by, byId: `U-${by}`, platform: 'slack', at: new Date().toISOString() });

describe('AckStore', () => {
  it('gives exactly one "first" to clicks that arrive in the same instant', async () => {
    const acks = new AckStore(new Keyv());
    const results = await Promise.all(['ana', 'bo', 'cy', 'di'].map((who) => acks.claim('ci:run-1', ack(who))));
    expect(results.filter((r) => r.first)).toHaveLength(1);
    const winner = results.find((r) => r.first)!.ack.by;
    // Everyone else is told who was first, and that is what stays recorded.
    for (const r of results) expect(r.ack.by).toBe(winner);
    expect((await acks.get('ci:run-1'))?.by).toBe(winner);
  });

  it('keeps lifecycles apart', async () => {
    const acks = new AckStore(new Keyv());
    const [a, b] = await Promise.all([acks.claim('ci:run-1', ack('ana')), acks.claim('ci:run-2', ack('bo'))]);
    expect(a.first && b.first).toBe(true);
  });
});
