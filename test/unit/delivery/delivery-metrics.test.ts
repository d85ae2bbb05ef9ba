import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatTarget, type MessageRef } from '../../../src/chat/target.js';
import { createDeliveryMetrics, observedTarget, platformOf } from '../../../src/delivery/delivery-metrics.js';
import type { DeliveryJob } from '../../../src/delivery/job.js';
import type { DeliveryLog } from '../../../src/delivery/stage.js';
import { createDeliveryWorker } from '../../../src/delivery/worker.js';
import type { NeutralMessage } from '../../../src/render/message.js';
import type { QueuedJob, Queue } from '../../../src/store/queue.js';
import type { MessageRefs, StoredEvent } from '../../../src/store/types.js';

type Depth = Awaited<ReturnType<Queue<unknown>['depth']>>;
const NOW = new Date('2024-05-01T12:00:00Z');

function setup(depth: () => Promise<Depth> = async () => ({ waiting: 0, delayed: 0, active: 0, dead: 0 })) {
  const registry = new Registry();
  const depthErrors: unknown[] = [];
  const m = createDeliveryMetrics(registry, { depth, now: () => NOW, onDepthError: (e) => depthErrors.push(e) });
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    const hit = (metric?.values as { value: number; labels: Record<string, string | number>; metricName?: string }[] | undefined)?.find(
      (v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
    );
    return hit?.value;
  };
  return { registry, observer: m.observer, value, depthErrors };
}

const ci = { target: 'slack:#ci', platform: 'slack' };

describe('delivery metrics', () => {
  it('counts posts, updates and replies by platform and target, and observes accept-to-answer latency', async () => {
    const { observer, value, registry } = setup();
    const receivedAt = new Date(NOW.getTime() - 1500).toISOString();
    observer.answered({ kind: 'post', ...ci, receivedAt });
    observer.answered({ kind: 'update', ...ci, receivedAt });
    observer.answered({ kind: 'update', ...ci, receivedAt });
    observer.answered({ kind: 'reply', ...ci, receivedAt });
    observer.answered({ kind: 'post', target: 'discord:1', platform: 'discord', receivedAt });
    observer.answered({ kind: 'post', ...ci, receivedAt: '2020-01-01T00:00:00Z', replay: true });
    expect(await value('hookbridge_delivery_posts_total', ci)).toBe(2);
    expect(await value('hookbridge_delivery_updates_total', ci)).toBe(2);
    expect(await value('hookbridge_delivery_replies_total', ci)).toBe(1);
    expect(await value('hookbridge_delivery_posts_total', { platform: 'discord', target: 'discord:1' })).toBe(1);
    const text = await registry.metrics();
    // Replies and replays do not count: the latency is about a new event's message reaching the channel.
    expect(text).toContain('hookbridge_delivery_latency_seconds_count{platform="slack"} 3');
    expect(text).toContain('hookbridge_delivery_latency_seconds_sum{platform="slack"} 4.5');
  });

  it('counts failures by reason, retries, dead letters, and 429s separately', async () => {
    const { observer, value } = setup();
    observer.failed({ ...ci, error: new ChatError('slack: rate limited', 'rate_limited', true, 1000), next: 'retry' });
    observer.failed({ ...ci, error: new ChatError('slack: HTTP 500', 'server_error', true), next: 'retry' });
    observer.failed({ ...ci, error: new ChatError('slack: channel_not_found', 'not_found', false), next: 'dead' });
    expect(await value('hookbridge_delivery_failures_total', { ...ci, reason: 'rate_limited' })).toBe(1);
    expect(await value('hookbridge_delivery_failures_total', { ...ci, reason: 'server_error' })).toBe(1);
    expect(await value('hookbridge_delivery_failures_total', { ...ci, reason: 'not_found' })).toBe(1);
    expect(await value('hookbridge_delivery_retries_total', ci)).toBe(2);
    expect(await value('hookbridge_delivery_dead_letters_total', ci)).toBe(1);
    expect(await value('hookbridge_chat_rate_limited_total', ci)).toBe(1);
  });

  it('reads the queue gauges on scrape, with one depth() call for both', async () => {
    let calls = 0;
    let depth: Depth = { waiting: 3, delayed: 2, active: 1, dead: 4, oldestAgeMs: 2500 };
    const { value, registry } = setup(async () => (calls++, depth));
    await registry.metrics();
    expect(calls).toBe(1);
    expect(await value('hookbridge_queue_jobs', { state: 'waiting' })).toBe(3);
    expect(await value('hookbridge_queue_jobs', { state: 'delayed' })).toBe(2);
    expect(await value('hookbridge_queue_jobs', { state: 'active' })).toBe(1);
    expect(await value('hookbridge_queue_jobs', { state: 'dead' })).toBe(4);
    expect(await value('hookbridge_queue_oldest_job_age_seconds')).toBe(2.5);
    depth = { waiting: 0, delayed: 0, active: 0, dead: 4 };
    expect(await value('hookbridge_queue_oldest_job_age_seconds')).toBe(0);
  });

  it('still answers the scrape when the store cannot tell the depth', async () => {
    const { registry, depthErrors } = setup(async () => Promise.reject(new Error('store down')));
    await expect(registry.metrics()).resolves.toContain('hookbridge_delivery_posts_total');
    expect(depthErrors).toHaveLength(1);
  });

  it('platformOf reads the platform from a configured target', () => {
    expect(platformOf('slack:#ci')).toBe('slack');
    expect(platformOf('discord:123')).toBe('discord');
    expect(platformOf('console')).toBe('console');
  });
});

const msg: NeutralMessage = { title: 't', severity: 'info', fields: [], actions: [], fallback: 't' };

function fakeTarget(fail?: ChatError): ChatTarget & { calls: string[] } {
  const calls: string[] = [];
  const answer = async (kind: string, ref: MessageRef) => {
    calls.push(kind);
    if (fail) throw fail;
    return ref;
  };
  return {
    calls,
    platform: 'slack',
    post: (channel) => answer('post', { platform: 'slack', channel, id: `m${calls.length + 1}` }),
    update: async (ref) => void (await answer('update', ref)),
    reply: (ref) => answer('reply', { ...ref, id: `${ref.id}.r` }),
  };
}

describe('observedTarget', () => {
  it('reports each answered call, and nothing for a failed one', async () => {
    const seen: string[] = [];
    const ok = observedTarget(fakeTarget(), (k) => seen.push(k));
    const ref = await ok.post('#ci', msg);
    await ok.update(ref, msg);
    await ok.reply(ref, msg);
    expect(seen).toEqual(['post', 'update', 'reply']);
    const failing = observedTarget(fakeTarget(new ChatError('x', 'server_error', true)), (k) => seen.push(k));
    await expect(failing.post('#ci', msg)).rejects.toThrow('x');
    expect(seen).toHaveLength(3);
  });

  it('a report that throws never fails the call (the reference must still be saved)', async () => {
    const target = observedTarget(fakeTarget(), () => {
      throw new Error('metrics broke');
    });
    await expect(target.post('#ci', msg)).resolves.toMatchObject({ id: 'm1' });
  });
});

describe('worker with an observer', () => {
  const event: StoredEvent = { source: 'gh', id: 'evt-42', type: 'push', receivedAt: new Date(Date.now() - 100).toISOString(), headers: {}, payload: {} };
  const job: DeliveryJob = { v: 1, event: { source: 'gh', id: 'evt-42' }, route: 'pushes', target: 'slack:#ci' };
  const queued = (attempt: number): QueuedJob<DeliveryJob> => ({ id: 'job-1', data: job, attempt });

  function worker(target: ChatTarget, muted = false) {
    const logs: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const log = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [level, (obj: Record<string, unknown>, m: string) => logs.push({ level, obj, msg: m })]),
    ) as unknown as DeliveryLog;
    const refs = new Map<string, MessageRef>();
    const store: MessageRefs = {
      get: async (k, t) => refs.get(`${k}|${t}`),
      put: async (k, t, r) => void refs.set(`${k}|${t}`, r),
      all: async () => [],
    };
    const events: { answered: string[]; failed: string[] } = { answered: [], failed: [] };
    const w = createDeliveryWorker({
      queue: undefined as unknown as Queue<DeliveryJob>,
      events: { get: async () => event, recent: async () => [] },
      refs: store,
      mutes: { get: async () => (muted ? { source: 'gh', until: '2999-01-01T00:00:00Z', by: 'u' } : undefined), set: async () => {}, clear: async () => true, list: async () => [] },
      targets: () => ({ target, channel: '#ci' }),
      render: () => msg,
      policy: { attempts: 2, backoff: { min: 5, max: 10 } },
      log,
      now: () => new Date(),
      concurrency: 1,
      paceLimits: {},
      observer: {
        answered: (c) => events.answered.push(`${c.kind} ${c.platform} ${c.target}`),
        failed: (f) => events.failed.push(`${f.error.reason} ${f.next} ${f.target}`),
      },
    });
    return { w, logs, events };
  }

  it('reports the post, then a retry and a dead letter', async () => {
    const ok = worker(fakeTarget());
    expect(await ok.w.handle(queued(1))).toEqual({ kind: 'done' });
    expect(ok.events.answered).toEqual(['post slack slack:#ci']);
    const bad = worker(fakeTarget(new ChatError('slack: HTTP 500', 'server_error', true)));
    expect((await bad.w.handle(queued(1))).kind).toBe('retry');
    expect((await bad.w.handle(queued(2))).kind).toBe('dead');
    expect(bad.events.failed).toEqual(['server_error retry slack:#ci', 'server_error dead slack:#ci']);
  });

  it('every log line about a job carries eventId, source, route, target and job, stage lines included', async () => {
    const correlation = { eventId: 'evt-42', source: 'gh', route: 'pushes', target: 'slack:#ci', job: 'job-1' };
    const ok = worker(fakeTarget());
    await ok.w.handle(queued(1));
    const muted = worker(fakeTarget(), true);
    await muted.w.handle(queued(1));
    const bad = worker(fakeTarget(new ChatError('slack: HTTP 500', 'server_error', true)));
    await bad.w.handle(queued(2));
    const lines = [...ok.logs, ...muted.logs, ...bad.logs];
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['delivered', expect.stringMatching(/^source muted/), expect.stringMatching(/dead letters/)]));
    for (const line of lines) expect(line.obj, line.msg).toMatchObject(correlation);
    // Delivered is an info line, so it shows at the default level.
    expect(ok.logs.find((l) => l.msg === 'delivered')?.level).toBe('info');
  });
});
