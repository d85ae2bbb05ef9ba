import { describe, expect, it } from 'vitest';
import { ChatError, type ChatTarget, type MessageRef } from '../../../src/chat/target.js';
import type { DeliveryJob } from '../../../src/delivery/job.js';
import { createOpsAlerts, type AlertsConfig } from '../../../src/delivery/ops-alerts.js';
import type { DeliveryLog } from '../../../src/delivery/stage.js';
import type { NeutralMessage } from '../../../src/render/message.js';

const SIGNING_SECRET = 'gh-webhook-secret-do-not-print';
const TOKEN = 'xoxb-1234-5678-abcdefSECRET';

interface Posted {
  readonly channel: string;
  readonly msg: NeutralMessage;
}

function harness(o: { alerts?: AlertsConfig; failing?: boolean } = {}) {
  const posted: Posted[] = [];
  let fail = o.failing ?? false;
  const target: ChatTarget = {
    platform: 'slack',
    async post(channel, msg) {
      posted.push({ channel, msg });
      if (fail) throw new ChatError('slack: HTTP 500', 'server_error', true);
      return { platform: 'slack', channel, id: String(posted.length) } satisfies MessageRef;
    },
    update: async () => {},
    reply: async (ref) => ref,
  };
  const logs: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const log = Object.fromEntries(
    ['debug', 'info', 'warn', 'error'].map((level) => [level, (obj: Record<string, unknown>, msg: string) => logs.push({ level, obj, msg })]),
  ) as unknown as DeliveryLog;
  let now = new Date('2024-05-01T12:00:00Z').getTime();
  const alerts = createOpsAlerts({
    config: () => o.alerts ?? { to: ['slack:#ops', 'slack:#oncall'], on: ['dead-letter', 'auth-failures'] },
    targets: (t) => (t.startsWith('slack:') ? { target, channel: t.slice('slack:'.length) } : undefined),
    log,
    now: () => new Date(now),
  });
  return {
    alerts,
    posted,
    logs,
    advance: (ms: number) => void (now += ms),
    setFailing: (v: boolean) => void (fail = v),
  };
}

const job = (source: string, id: string): DeliveryJob => ({ v: 1, event: { source, id }, route: 'ci-failures', target: 'discord:123' });
const gone = new ChatError('discord: 404 10003 Unknown Channel', 'not_found', false);
const text = (p: Posted) => JSON.stringify(p.msg);

describe('ops alerts: dead letters', () => {
  it('posts one notice to each alerts target naming source, event, target and the last error', async () => {
    const h = harness();
    await h.alerts.deadLetter(job('gh', 'evt-1'), gone);
    expect(h.posted.map((p) => p.channel)).toEqual(['#ops', '#oncall']);
    const notice = text(h.posted[0]!);
    for (const part of ['gh', 'evt-1', 'discord:123', 'not_found', 'Unknown Channel', 'ci-failures']) expect(notice).toContain(part);
    expect(h.posted[0]!.msg.severity).toBe('warning');
  });

  it('sends at most one notice per source within 10 minutes, then says how many were held back', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['dead-letter'] } });
    await h.alerts.deadLetter(job('gh', 'evt-1'), gone);
    await h.alerts.deadLetter(job('gh', 'evt-2'), gone);
    h.advance(9 * 60_000);
    await h.alerts.deadLetter(job('gh', 'evt-3'), gone);
    expect(h.posted).toHaveLength(1);
    // Another source has its own allowance.
    await h.alerts.deadLetter(job('stripe', 'evt_9'), gone);
    expect(h.posted).toHaveLength(2);
    h.advance(60_001);
    await h.alerts.deadLetter(job('gh', 'evt-4'), gone);
    expect(h.posted).toHaveLength(3);
    expect(text(h.posted[2]!)).toContain('evt-4');
    expect(text(h.posted[2]!)).toMatch(/2 more dead letter/);
  });

  it('concurrent dead letters of one source still make one notice', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['dead-letter'] } });
    await Promise.all([1, 2, 3, 4].map((n) => h.alerts.deadLetter(job('gh', `evt-${n}`), gone)));
    expect(h.posted).toHaveLength(1);
  });

  it('a notice that fails is logged once and never retried or turned into another notice', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['dead-letter'] }, failing: true });
    await expect(h.alerts.deadLetter(job('gh', 'evt-1'), gone)).resolves.toBeUndefined();
    await h.alerts.drain();
    expect(h.posted).toHaveLength(1);
    const failed = h.logs.filter((l) => l.msg.startsWith('ops notice failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.level).toBe('error');
    // The failed notice still used up the allowance: a flapping chat API is not hammered.
    await h.alerts.deadLetter(job('gh', 'evt-2'), gone);
    expect(h.posted).toHaveLength(1);
  });

  it('does nothing when dead letters are not in `on`, or alerts are not configured', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['auth-failures'] } });
    await h.alerts.deadLetter(job('gh', 'evt-1'), gone);
    expect(h.posted).toHaveLength(0);
    const none = createOpsAlerts({ config: () => undefined, targets: () => undefined, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() });
    await expect(none.deadLetter(job('gh', 'evt-1'), gone)).resolves.toBeUndefined();
  });

  it('warns about an alerts target that does not resolve and still posts to the others', async () => {
    const h = harness({ alerts: { to: ['discord:999', 'slack:#ops'], on: ['dead-letter'] } });
    await h.alerts.deadLetter(job('gh', 'evt-1'), gone);
    expect(h.posted.map((p) => p.channel)).toEqual(['#ops']);
    expect(h.logs.some((l) => l.level === 'warn' && l.obj['alertTarget'] === 'discord:999')).toBe(true);
  });

  it('leaks no secret: tokens in the last error are redacted', async () => {
    const h = harness();
    const leaky = new ChatError(`internal: request with Bearer ${TOKEN} failed (${TOKEN})`, 'server_error', true);
    await h.alerts.deadLetter(job('gh', 'evt-1'), leaky);
    for (const p of h.posted) {
      expect(text(p)).not.toContain(TOKEN);
      expect(text(p)).not.toContain('abcdefSECRET');
    }
  });
});

describe('ops alerts: signature failures', () => {
  it('a burst of 10 failures within a minute on one source posts one notice', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['auth-failures'] } });
    for (let i = 0; i < 9; i++) {
      await h.alerts.authFailure('gh', '203.0.113.7');
      h.advance(5_000);
    }
    expect(h.posted).toHaveLength(0);
    await h.alerts.authFailure('gh', '203.0.113.7');
    expect(h.posted).toHaveLength(1);
    const notice = text(h.posted[0]!);
    expect(notice).toContain('gh');
    expect(notice).toContain('10');
    expect(notice).toMatch(/rotat/);
    expect(notice).not.toContain(SIGNING_SECRET);
    // The burst goes on: no second notice within the quiet period.
    for (let i = 0; i < 30; i++) await h.alerts.authFailure('gh', '203.0.113.7');
    expect(h.posted).toHaveLength(1);
  });

  it('failures spread thinner than the window never add up to a burst', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['auth-failures'] } });
    for (let i = 0; i < 40; i++) {
      await h.alerts.authFailure('gh', '203.0.113.7');
      h.advance(7_000);
    }
    expect(h.posted).toHaveLength(0);
  });

  it('counts each source on its own', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['auth-failures'] } });
    for (let i = 0; i < 5; i++) {
      await h.alerts.authFailure('gh', '203.0.113.7');
      await h.alerts.authFailure('stripe', '203.0.113.8');
    }
    expect(h.posted).toHaveLength(0);
    for (let i = 0; i < 5; i++) await h.alerts.authFailure('stripe', '203.0.113.8');
    expect(h.posted).toHaveLength(1);
    expect(text(h.posted[0]!)).toContain('stripe');
  });

  it('a second burst after the quiet period posts again', async () => {
    const h = harness({ alerts: { to: ['slack:#ops'], on: ['auth-failures'] } });
    for (let i = 0; i < 10; i++) await h.alerts.authFailure('gh', '203.0.113.7');
    h.advance(11 * 60_000);
    for (let i = 0; i < 10; i++) await h.alerts.authFailure('gh', '203.0.113.7');
    expect(h.posted).toHaveLength(2);
  });
});
