import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChatError, ChatTarget } from '../chat/target.js';
import type { Queue } from '../store/queue.js';

export type ChatCall = 'post' | 'update' | 'reply';

/** What the worker reports as it delivers; metrics are one listener, tests can be another. */
export interface DeliveryObserver {
  /** A chat API call of this delivery answered successfully. */
  answered(call: {
    readonly kind: ChatCall;
    readonly target: string;
    readonly platform: string;
    readonly receivedAt: string;
    /** A replay resends an old event: its age says nothing about delivery speed. */
    readonly replay?: boolean;
  }): void;
  /** An attempt failed; `next` is what the worker decided. */
  failed(failure: { readonly target: string; readonly platform: string; readonly error: ChatError; readonly next: 'retry' | 'dead' }): void;
}

export interface DeliveryMetrics {
  readonly observer: DeliveryObserver;
}

type Depth = Awaited<ReturnType<Queue<unknown>['depth']>>;
const STATES = ['waiting', 'delayed', 'active', 'dead'] as const;

/** The platform part of a configured target (`slack:#ci` → `slack`), known even when the target no longer resolves. */
export const platformOf = (target: string): string => target.split(':', 1)[0] ?? target;

/**
 * Outbound metrics on the app's registry. Labels are the target as written in config and its
 * platform: both come from the config, so their number is bounded by it.
 */
export function createDeliveryMetrics(
  registry: Registry,
  o: { depth: () => Promise<Depth>; now: () => Date; onDepthError?: (err: unknown) => void },
): DeliveryMetrics {
  const counter = (name: string, help: string, extra: string[] = []) =>
    new Counter({ name, help, labelNames: ['platform', 'target', ...extra], registers: [registry] });
  const calls: Record<ChatCall, Counter> = {
    post: counter('hookbridge_delivery_posts_total', 'Messages posted to chat.'),
    update: counter('hookbridge_delivery_updates_total', 'Messages updated in place (later events of a lifecycle).'),
    reply: counter('hookbridge_delivery_replies_total', 'Thread replies posted.'),
  };
  const failures = counter('hookbridge_delivery_failures_total', 'Failed delivery attempts by failure reason.', ['reason']);
  const retries = counter('hookbridge_delivery_retries_total', 'Failed attempts that were scheduled for another try.');
  const dead = counter('hookbridge_delivery_dead_letters_total', 'Jobs given up and moved to the dead letters.');
  const rateLimited = counter('hookbridge_chat_rate_limited_total', 'Chat API calls answered with a rate limit (429).');
  const latency = new Histogram({
    name: 'hookbridge_delivery_latency_seconds',
    help: 'Time from accepting the webhook to the chat API answering its post or update.',
    labelNames: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  registerQueueGauges(registry, o.depth, o.onDepthError);

  const observer: DeliveryObserver = {
    answered({ kind, target, platform, receivedAt, replay }) {
      calls[kind].inc({ platform, target });
      if (kind === 'reply' || replay) return;
      const seconds = (o.now().getTime() - Date.parse(receivedAt)) / 1000;
      if (Number.isFinite(seconds)) latency.observe({ platform }, Math.max(0, seconds));
    },
    failed({ target, platform, error, next }) {
      failures.inc({ platform, target, reason: error.reason });
      if (error.reason === 'rate_limited') rateLimited.inc({ platform, target });
      (next === 'retry' ? retries : dead).inc({ platform, target });
    },
  };
  return { observer };
}

/** Queue gauges read on scrape; one `depth()` call serves both gauges of the same scrape. */
function registerQueueGauges(registry: Registry, depth: () => Promise<Depth>, onError?: (err: unknown) => void): void {
  let pending: Promise<Depth | undefined> | undefined;
  const read = () =>
    (pending ??= depth()
      .catch((err: unknown) => {
        // A store that cannot answer must not break the whole scrape; the gauges keep their last value.
        onError?.(err);
        return undefined;
      })
      .finally(() => {
        pending = undefined;
      }));
  new Gauge({
    name: 'hookbridge_queue_jobs',
    help: 'Delivery jobs in the queue by state (waiting, delayed, active, dead).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const d = await read();
      if (d) for (const state of STATES) this.set({ state }, d[state]);
    },
  });
  new Gauge({
    name: 'hookbridge_queue_oldest_job_age_seconds',
    help: 'Age of the oldest job still waiting to be delivered (0 when none).',
    registers: [registry],
    async collect() {
      const d = await read();
      if (d) this.set((d.oldestAgeMs ?? 0) / 1000);
    },
  });
}

/**
 * The target as the send stage sees it, reporting each answered call. The report runs between the
 * platform's answer and the reference being saved, so it must never throw there: a throw would
 * lose the reference and the retry would post a second copy.
 */
export function observedTarget(target: ChatTarget, onAnswer: (kind: ChatCall) => void): ChatTarget {
  const report = (kind: ChatCall) => {
    try {
      onAnswer(kind);
    } catch {
      // Metrics are best effort; delivery is not.
    }
  };
  return {
    platform: target.platform,
    async post(channel, msg) {
      const ref = await target.post(channel, msg);
      report('post');
      return ref;
    },
    async update(ref, msg) {
      await target.update(ref, msg);
      report('update');
    },
    async reply(ref, msg) {
      const sent = await target.reply(ref, msg);
      report('reply');
      return sent;
    },
  };
}
