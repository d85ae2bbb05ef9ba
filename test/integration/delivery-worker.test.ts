import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleTarget } from '../../src/chat/console.js';
import { createDiscordTarget } from '../../src/chat/discord.js';
import { createSlackTarget } from '../../src/chat/slack.js';
import type { ChatError, ChatTarget } from '../../src/chat/target.js';
import { deliveryJobId, type DeliveryJob } from '../../src/delivery/job.js';
import { platformPace, type PaceLimit, type Pacer } from '../../src/delivery/pace.js';
import type { DeliveryLog } from '../../src/delivery/stage.js';
import { createDeliveryWorker, RATE_LIMIT_GRACE_MS, type DeliveryWorker } from '../../src/delivery/worker.js';
import type { NeutralMessage, Platform } from '../../src/render/message.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import type { Consumer } from '../../src/store/queue.js';
import type { StoredEvent } from '../../src/store/types.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';

const SLACK = 'slack:#ci';
const DISCORD = 'discord:111222333444555666';

function ciEvent(id: string, status: string, correlationKey: string | undefined = 'ci/run/7'): StoredEvent {
  return {
    source: 'ci', id, type: 'workflow_run', receivedAt: new Date().toISOString(),
    ...(correlationKey ? { correlationKey } : {}),
    headers: {}, payload: { status },
  };
}

function render(event: StoredEvent, job: DeliveryJob, platform: Platform): NeutralMessage {
  const status = (event.payload as { status: string }).status;
  if (status === 'explode') throw new Error('template ci/workflow_run.hbs: missing helper "nope"');
  return {
    title: `Run 7 ${status} (${platform})`,
    severity: status === 'failed' ? 'error' : 'info',
    fields: [],
    actions: (job.actions ?? []).map((a) => ({ action: a, label: a, id: `hb:${a}:${event.source}/${event.id}` })),
    fallback: `Run 7 ${status}`,
  };
}

interface Harness {
  store: Store<DeliveryJob>;
  slack: FakeSlack;
  discord: FakeDiscord;
  worker: DeliveryWorker;
  consumer: Consumer;
  logs: { level: string; obj: object; msg: string }[];
  dead: { job: DeliveryJob; error: ChatError }[];
  console: PassThrough;
  ingest(event: StoredEvent, targets: string[], extra?: Partial<DeliveryJob>): Promise<DeliveryJob[]>;
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function harness(o: { attempts?: number; pacer?: Pacer } = {}): Promise<Harness> {
  const store = await openStore<DeliveryJob>('memory://');
  const slack = await FakeSlack.start({ token: 'xoxb-test' });
  const discord = await FakeDiscord.start({ token: 'discord-test' });
  const out = new PassThrough();
  const chats: Record<string, { target: ChatTarget; channel: string }> = {
    [SLACK]: { target: createSlackTarget({ token: 'xoxb-test', apiUrl: slack.url, timeoutMs: 1000 }), channel: '#ci' },
    [DISCORD]: { target: createDiscordTarget({ token: 'discord-test', apiUrl: discord.url, timeoutMs: 1000 }), channel: '111222333444555666' },
    console: { target: createConsoleTarget({ out }), channel: 'console' },
  };
  const logs: Harness['logs'] = [];
  const log: DeliveryLog = Object.fromEntries(
    ['debug', 'info', 'warn', 'error'].map((level) => [level, (obj: object, msg: string) => logs.push({ level, obj, msg })]),
  ) as unknown as DeliveryLog;
  const dead: Harness['dead'] = [];
  const worker = createDeliveryWorker({
    queue: store.queue, events: store.events, refs: store.refs, mutes: store.mutes,
    targets: (t) => chats[t],
    render,
    policy: { attempts: o.attempts ?? 4, backoff: { min: 5, max: 20 } },
    log, now: () => new Date(), concurrency: 4,
    onDeadLetter: (job, error) => dead.push({ job, error }),
    ...(o.pacer ? { pacer: o.pacer } : { paceLimits: {} }),
  });
  const consumer = worker.start();
  return {
    store, slack, discord, worker, consumer, logs, dead, console: out,
    async ingest(event, targets, extra = {}) {
      const jobs = targets.map((target) => ({ v: 1 as const, event: { source: event.source, id: event.id }, route: 'ci', target, ...extra }));
      await store.recorder.record(event, jobs.map((data) => ({ id: deliveryJobId(data), data })), { dedupeTtlMs: 60_000, retentionMs: 60_000 });
      return jobs;
    },
    async settled() {
      await vi.waitFor(async () => {
        const d = await store.queue.depth();
        expect(d.waiting + d.delayed + d.active).toBe(0);
      }, { timeout: 8000, interval: 10 });
    },
    async close() {
      await consumer.close();
      await store.close();
      await slack.close();
      await discord.close();
    },
  };
}

const queued = (job: DeliveryJob, attempt = 1) => ({ id: deliveryJobId(job), data: job, attempt });

describe('delivery worker against fake Slack and Discord', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('delivers one event to Slack, Discord and the console, with the route buttons', async () => {
    await h.ingest(ciEvent('e1', 'failed'), [SLACK, DISCORD, 'console'], { actions: ['ack', 'mute'] });
    await h.settled();
    const [post] = h.slack.calls('chat.postMessage');
    expect(post).toMatchObject({ channel: '#ci', text: expect.stringContaining('Run 7 failed') });
    expect(JSON.stringify(post?.blocks)).toContain('hb:ack:ci/e1');
    const [created] = h.discord.calls('POST', /messages$/);
    expect(JSON.stringify(created)).toContain('Run 7 failed (discord)');
    expect(JSON.stringify(created?.components)).toContain('hb:mute:ci/e1');
    expect(String(h.console.read())).toContain('Run 7 failed (console)');
    expect((await h.store.refs.all('ci:ci/run/7')).map((r) => r.target).sort()).toEqual(['console', DISCORD, SLACK].sort());
  });

  it('a lifecycle (two events, one correlation key) is one post and one update per target', async () => {
    await h.ingest(ciEvent('e1', 'running'), [SLACK, DISCORD]);
    await h.settled();
    await h.ingest(ciEvent('e2', 'passed'), [SLACK, DISCORD]);
    await h.settled();
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    const [update] = h.slack.calls('chat.update');
    expect(update).toMatchObject({ channel: h.slack.channelId('#ci'), text: expect.stringContaining('Run 7 passed') });
    expect(h.discord.calls('POST', /messages$/)).toHaveLength(1);
    expect(h.discord.calls('PATCH', /messages\/\d+$/)).toHaveLength(1);
  });

  it('the same correlation key from two sources (prod and staging installations) is two messages', async () => {
    await h.ingest({ ...ciEvent('e1', 'running'), source: 'ci-prod' }, [SLACK]);
    await h.settled();
    await h.ingest({ ...ciEvent('e2', 'passed'), source: 'ci-staging' }, [SLACK]);
    await h.settled();
    expect(h.slack.calls('chat.postMessage')).toHaveLength(2);
    expect(h.slack.calls('chat.update')).toHaveLength(0);
  });

  it('two events of one lifecycle delivered at the same time still post once', async () => {
    await Promise.all([h.ingest(ciEvent('e1', 'running'), [SLACK]), h.ingest(ciEvent('e2', 'passed'), [SLACK])]);
    await h.settled();
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    expect(h.slack.calls('chat.update')).toHaveLength(1);
  });

  it('an older event arriving after a newer one of its lifecycle does not put the old state back', async () => {
    const older = { ...ciEvent('e1', 'running'), receivedAt: '2026-01-01T10:00:00.000Z' };
    const newer = { ...ciEvent('e2', 'passed'), receivedAt: '2026-01-01T10:05:00.000Z' };
    await h.ingest(newer, [SLACK]);
    await h.settled();
    await h.ingest(older, [SLACK]);
    await h.settled();
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    expect(h.slack.calls('chat.update')).toHaveLength(0);
    expect(h.logs.some((l) => l.msg.startsWith('a newer event'))).toBe(true);
  });

  it('thread: reply updates the root and replies once in its thread, also when the job runs again', async () => {
    await h.ingest(ciEvent('e1', 'running'), [SLACK], { thread: 'reply' });
    await h.settled();
    const [job] = await h.ingest(ciEvent('e2', 'passed'), [SLACK], { thread: 'reply' });
    await h.settled();
    expect(await h.worker.handle(queued(job!, 2))).toEqual({ kind: 'done' });
    // The root's own job again: it started the thread, so it does not reply to itself.
    expect(await h.worker.handle(queued({ ...job!, event: { source: 'ci', id: 'e1' } }, 2))).toEqual({ kind: 'done' });
    const posts = h.slack.calls('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]).toMatchObject({ thread_ts: expect.any(String), text: expect.stringContaining('Run 7 passed') });
    // e2 updated the root twice (its run and its re-run); e1 is older than what is shown, so no update.
    expect(h.slack.calls('chat.update')).toHaveLength(2);
  });

  it('thread: new posts one message per event', async () => {
    await h.ingest(ciEvent('e1', 'running'), [DISCORD], { thread: 'new' });
    await h.ingest(ciEvent('e2', 'passed'), [DISCORD], { thread: 'new' });
    await h.settled();
    expect(h.discord.calls('POST', /messages$/)).toHaveLength(2);
    expect(h.discord.calls('PATCH', /./)).toHaveLength(0);
  });

  it('retries after 5xx and then delivers once', async () => {
    h.slack.failNext(2, 'server_error');
    h.discord.failNext(1, 'server_error', { status: 502 });
    await h.ingest(ciEvent('e1', 'failed'), [SLACK, DISCORD]);
    await h.settled();
    expect(h.slack.requests).toHaveLength(3);
    expect(h.discord.requests).toHaveLength(2);
    expect(h.dead).toEqual([]);
    expect(await h.store.refs.get('ci:ci/run/7', SLACK)).toMatchObject({ platform: 'slack' });
  });

  it('waits out a 429 for at least its Retry-After, then delivers', async () => {
    h.slack.failNext(1, 'rate_limit', { retryAfterSec: 1 });
    h.discord.failNext(1, 'rate_limit', { retryAfterSec: 1 });
    await h.ingest(ciEvent('e1', 'failed'), [SLACK, DISCORD]);
    await h.settled();
    const retries = h.logs.filter((l) => l.msg === 'rate limited; will retry (not counted as an attempt)').map((l) => l.obj as { afterMs: number; reason: string });
    expect(retries).toHaveLength(2);
    for (const r of retries) {
      expect(r.reason).toMatch(/^rate_limited/);
      expect(r.afterMs).toBeGreaterThanOrEqual(1000);
    }
    expect(h.slack.calls('chat.postMessage')).toHaveLength(2);
    expect(h.discord.calls('POST', /messages$/)).toHaveLength(2);
    expect(h.dead).toEqual([]);
  });

  it('rate limits use up no attempts: a later real failure still has all of them', async () => {
    // 4 attempts: six 429s, then three 5xx, then success. Counted as attempts, the 429s would dead-letter it.
    h.slack.failNext(6, 'rate_limit', { retryAfterSec: 0 });
    h.slack.failNext(3, 'server_error');
    await h.ingest(ciEvent('e1', 'failed'), [SLACK]);
    await h.settled();
    expect(h.slack.requests).toHaveLength(10);
    expect(h.dead).toEqual([]);
    expect(h.slack.calls('chat.postMessage').length).toBe(10);
    expect(h.logs.filter((l) => l.msg === 'rate limited; will retry (not counted as an attempt)')).toHaveLength(6);
    const attempts = h.logs.filter((l) => l.msg === 'delivery failed; will retry').map((l) => (l.obj as { attempt: number }).attempt);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('rate limits count as attempts again for a job queued more than a day ago', async () => {
    await h.consumer.close();
    const [data] = await h.ingest(ciEvent('e1', 'failed'), [SLACK]);
    h.slack.failNext(1, 'rate_limit', { retryAfterSec: 0 });
    const job = { id: deliveryJobId(data!), data: data!, attempt: 4, queuedAt: Date.now() - RATE_LIMIT_GRACE_MS - 60_000 };
    expect(await h.worker.handle(job)).toMatchObject({ kind: 'dead', reason: expect.stringMatching(/^rate_limited/) });
    const fresh = { ...job, queuedAt: Date.now() - 60_000 };
    h.slack.failNext(1, 'rate_limit', { retryAfterSec: 2 });
    const retry = await h.worker.handle(fresh);
    expect(retry).toMatchObject({ kind: 'retry', free: true });
    expect((retry as { afterMs: number }).afterMs).toBeGreaterThanOrEqual(2_000);
    // A wait read as zero still waits the shortest backoff step (5 ms here): no tight loop.
    h.slack.failNext(1, 'rate_limit', { retryAfterSec: 0 });
    expect(((await h.worker.handle(fresh)) as { afterMs: number }).afterMs).toBeGreaterThanOrEqual(5);
  });

  it('dead-letters after the last attempt with the last error and no token', async () => {
    h.slack.failNext(3, 'server_error');
    h.slack.failNext(1, 'server_error', { status: 503 });
    await h.ingest(ciEvent('e1', 'failed'), [SLACK]);
    await h.settled();
    expect(h.slack.requests).toHaveLength(4);
    const [letter] = await h.store.queue.deadLetters(10);
    expect(letter).toMatchObject({ attempt: 4, lastError: 'server_error: slack: HTTP 503' });
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]?.job.target).toBe(SLACK);
    expect(JSON.stringify(letter)).not.toContain('xoxb-test');
  });

  it.each([
    ['channel_not_found', 'not_found: slack: channel_not_found'],
    ['invalid_auth', 'auth_error: slack: invalid_auth'],
  ])('a final failure (%s) is dead at once', async (error, lastError) => {
    h.slack.failNext(1, 'platform_error', { error });
    await h.ingest(ciEvent('e1', 'failed'), [SLACK]);
    await h.settled();
    expect(h.slack.requests).toHaveLength(1);
    expect((await h.store.queue.deadLetters(10))[0]).toMatchObject({ attempt: 1, lastError });
  });

  it('a job run again after its reference was stored does not post twice', async () => {
    const [job] = await h.ingest(ciEvent('e1', 'failed'), [SLACK, DISCORD]);
    await h.settled();
    // As after a crash between "reference stored" and "job acknowledged": the queue hands it out again.
    expect(await h.worker.handle(queued(job!, 2))).toEqual({ kind: 'done' });
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    expect(h.slack.calls('chat.update')).toHaveLength(1);
  });

  it('a retry after the update succeeded and the thread reply failed neither reposts nor updates twice in vain', async () => {
    await h.ingest(ciEvent('e1', 'failed'), [SLACK], { thread: 'reply' });
    await h.settled();
    h.slack.failNext(1, 'server_error', { method: 'chat.postMessage' });
    await h.ingest(ciEvent('e2', 'passed'), [SLACK], { thread: 'reply' });
    await h.settled();
    const posts = h.slack.calls('chat.postMessage');
    expect(posts.filter((p) => p.thread_ts === undefined)).toHaveLength(1);
    // One thread reply answered 500, its retry went through; the root was updated on each try.
    expect(posts.filter((p) => p.thread_ts !== undefined)).toHaveLength(2);
    expect(h.slack.calls('chat.update')).toHaveLength(2);
    expect(h.dead).toEqual([]);
  });

  it('a muted source is recorded but not posted; a replay is', async () => {
    await h.store.mutes.set({ source: 'ci', until: new Date(Date.now() + 3_600_000).toISOString(), by: 'U1' });
    await h.ingest(ciEvent('e1', 'failed'), [SLACK, DISCORD]);
    await h.settled();
    expect(h.slack.requests).toHaveLength(0);
    expect(h.discord.requests).toHaveLength(0);
    expect(await h.store.events.get({ source: 'ci', id: 'e1' })).toBeDefined();
    expect(h.logs.some((l) => l.msg.startsWith('source muted'))).toBe(true);
    const replay: DeliveryJob = { v: 1, event: { source: 'ci', id: 'e1' }, route: 'ci', target: SLACK, replay: true };
    expect(await h.worker.handle(queued(replay))).toEqual({ kind: 'done' });
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('an event missing from the log is done with a warning', async () => {
    const job: DeliveryJob = { v: 1, event: { source: 'ci', id: 'gone' }, route: 'ci', target: SLACK };
    expect(await h.worker.handle(queued(job))).toEqual({ kind: 'done' });
    expect(h.logs.find((l) => l.level === 'warn')?.msg).toMatch(/not in the log/);
    expect(h.slack.requests).toHaveLength(0);
  });

  it('a target no longer in config and a template that throws are dead letters', async () => {
    await h.ingest(ciEvent('e1', 'explode'), [SLACK]);
    await h.ingest(ciEvent('e2', 'failed', 'other'), ['slack:#removed']);
    await h.settled();
    const reasons = (await h.store.queue.deadLetters(10)).map((d) => d.lastError).sort();
    expect(reasons).toEqual([
      'client_error: unknown target slack:#removed',
      'invalid_message: render: template ci/workflow_run.hbs: missing helper "nope"',
    ]);
    expect(h.slack.requests).toHaveLength(0);
  });
});

describe('delivery worker pacing', () => {
  it('asks the pacer before every chat call, per channel, with the platform limit', async () => {
    const asked: [string, PaceLimit | undefined][] = [];
    const pacer: Pacer = { wait: async (key, limit) => (asked.push([key, limit]), 0) };
    const h = await harness({ pacer });
    try {
      await h.ingest(ciEvent('e1', 'running'), [SLACK, DISCORD, 'console'], { thread: 'reply' });
      await h.settled();
      await h.ingest(ciEvent('e2', 'passed'), [SLACK], { thread: 'reply' });
      await h.settled();
      const byKey = (k: string) => asked.filter(([key]) => key === k).map(([, limit]) => limit);
      // Slack: post, then update + thread reply.
      expect(byKey('slack:#ci')).toEqual([platformPace.slack, platformPace.slack, platformPace.slack]);
      expect(byKey('discord:111222333444555666')).toEqual([platformPace.discord]);
      expect(byKey('console:console')).toEqual([undefined]);
    } finally {
      await h.close();
    }
  });
});
