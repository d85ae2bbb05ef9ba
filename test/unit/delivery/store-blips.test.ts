import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/chat/target.js';
import type { Delivery } from '../../../src/delivery/delivery.js';
import type { StageEnv } from '../../../src/delivery/stage.js';
import { renderStage } from '../../../src/delivery/stages/render.js';
import { keepTrying } from '../../../src/delivery/stages/send.js';

const env: StageEnv = { log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date(0) };
const delivery = { event: {}, job: {}, target: { platform: 'slack' } } as unknown as Delivery;

describe('store trouble during delivery', () => {
  it('retries the reference write of an accepted post until the store answers', async () => {
    let calls = 0;
    const write = async () => {
      if (++calls < 3) throw new Error('Socket closed unexpectedly');
      return 'written';
    };
    expect(await keepTrying(write, 5_000)).toBe('written');
    expect(calls).toBe(3);
  });

  it('lets the failure through once its time is up', async () => {
    await expect(keepTrying(() => Promise.reject(new Error('down')), 150)).rejects.toThrow('down');
  });

  it('keeps a retryable verdict from the render function instead of calling it a broken template', async () => {
    const blip = new ChatError('message state unavailable', 'server_error', true);
    const err = await renderStage(() => Promise.reject(blip)).run(delivery, env).catch((e: unknown) => e);
    expect(err).toBe(blip);
  });

  it('still dead-letters a template that throws', async () => {
    const err = (await renderStage(() => {
      throw new Error('bad helper');
    })
      .run(delivery, env)
      .catch((e: unknown) => e)) as ChatError;
    expect(err).toBeInstanceOf(ChatError);
    expect(err.reason).toBe('invalid_message');
    expect(err.retryable).toBe(false);
  });
});
