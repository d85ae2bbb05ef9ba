import { redact } from '../chat/classify.js';
import { ChatError, type ChatTarget } from '../chat/target.js';
import type { Platform } from '../render/message.js';
import type { Consumer, Outcome, Queue, QueuedJob } from '../store/queue.js';
import type { EventLog, MessageRefs, MuteStore } from '../store/types.js';
import { nextDelay, type BackoffPolicy } from './backoff.js';
import type { Delivery } from './delivery.js';
import { observedTarget, platformOf, type DeliveryObserver } from './delivery-metrics.js';
import type { DeliveryJob } from './job.js';
import { createKeyLock, type KeyLock } from './key-lock.js';
import { createPacer, platformPace, type PaceLimit, type Pacer } from './pace.js';
import { sequence, type DeliveryLog, type StageEnv } from './stage.js';
import { muteStage } from './stages/mute.js';
import { renderStage, type RenderFn } from './stages/render.js';
import { refKeyFor, sendStage } from './stages/send.js';

export interface DeliveryWorkerDeps {
  /** Per-key exclusion; shared across instances in Redis mode. Default: in-process. */
  readonly lock?: KeyLock;
  readonly queue: Queue<DeliveryJob>;
  readonly events: EventLog;
  readonly refs: MessageRefs;
  readonly mutes: MuteStore;
  /** Resolves a configured target (`slack:#ci`); undefined when config no longer has it. */
  readonly targets: (target: string) => { target: ChatTarget; channel: string } | undefined;
  readonly render: RenderFn;
  /** `attempts` counts the first try. */
  readonly policy: { readonly attempts: number; readonly backoff: BackoffPolicy };
  readonly log: DeliveryLog;
  readonly now: () => Date;
  readonly concurrency: number;
  /** Called once when a job is given up (the ops notice). */
  readonly onDeadLetter?: (job: DeliveryJob, error: ChatError) => void;
  readonly pacer?: Pacer;
  readonly paceLimits?: Readonly<Partial<Record<Platform, PaceLimit>>>;
  readonly random?: () => number;
  /** Told about every answered chat call and failed attempt (metrics). */
  readonly observer?: DeliveryObserver;
}

export interface DeliveryWorker {
  /** Handles one job; what the queue does next is the returned Outcome. */
  handle(job: QueuedJob<DeliveryJob>): Promise<Outcome>;
  /** Starts consuming the queue. */
  start(): Consumer;
}

/** Consumes delivery jobs: load event → mute → render → idempotent send → Outcome. */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const pipeline = sequence<Delivery>(
    muteStage(deps.mutes),
    renderStage(deps.render),
    sendStage({ refs: deps.refs, pacer: deps.pacer ?? createPacer(), paceLimits: deps.paceLimits ?? platformPace }),
  );
  // Two events of one lifecycle must not both find "no message yet" and both post. The lock is
  // per key across targets because one key's references may share one stored record.
  const lock = deps.lock ?? createKeyLock();

  async function handle(q: QueuedJob<DeliveryJob>): Promise<Outcome> {
    const job = q.data;
    // Every line about this job carries these, so grepping an event id shows its whole life.
    const where = { eventId: job.event.id, source: job.event.source, route: job.route, target: job.target, job: q.id, attempt: q.attempt };
    const env: StageEnv = { log: correlated(deps.log, where), now: deps.now };
    try {
      const resolved = deps.targets(job.target);
      if (!resolved) throw new ChatError(`unknown target ${job.target}`, 'client_error', false);
      const event = await deps.events.get(job.event);
      if (!event) {
        deps.log.warn(where, 'event not in the log (expired or never recorded); nothing to deliver');
        return { kind: 'done' };
      }
      const item: Delivery = { job, attempt: q.attempt, event, ...resolved, target: observed(deps, resolved.target, job, event.receivedAt) };
      const sent = await lock.run(refKeyFor(event, job), () => pipeline.run(item, env));
      if (sent?.ref) deps.log.info({ ...where, ref: sent.ref.id }, 'delivered');
      return { kind: 'done' };
    } catch (err) {
      return decide(deps, q, asChatError(err), where);
    }
  }

  return {
    handle,
    start: () => deps.queue.consume(handle, { concurrency: deps.concurrency }),
  };
}

/**
 * How long rate limits may hold a job back without using up its attempts. A 429 means "later", not
 * "failed": a burst that keeps a channel rate-limited must not dead-letter messages that nothing is
 * wrong with, nor leave a job no attempts for a real failure afterwards. Past this age (a platform
 * that keeps refusing for a day) they count again, so no job waits forever.
 */
export const RATE_LIMIT_GRACE_MS = 24 * 3_600_000;

/** Retry while the failure is passing and attempts are left; otherwise dead-letter with the last error. */
function decide(deps: DeliveryWorkerDeps, q: QueuedJob<DeliveryJob>, err: ChatError, where: object): Outcome {
  const reason = `${err.reason}: ${err.message}`;
  if (err.reason === 'rate_limited' && err.retryable && q.queuedAt !== undefined && deps.now().getTime() - q.queuedAt < RATE_LIMIT_GRACE_MS) {
    // Both platforms say how long to wait; without that, the longest backoff step. Never sooner than
    // the shortest step: these retries are not counted, so a wait read as ~0 (a stripped header) must
    // not turn into a tight loop against a platform that keeps refusing.
    const afterMs =
      err.retryAfterMs !== undefined ? Math.max(deps.policy.backoff.min, nextDelay(q.attempt, err, deps.policy.backoff, deps.random)) : deps.policy.backoff.max;
    deps.log.warn({ ...where, reason, afterMs }, 'rate limited; will retry (not counted as an attempt)');
    deps.observer?.failed({ target: q.data.target, platform: platformOf(q.data.target), error: err, next: 'retry' });
    return { kind: 'retry', afterMs, reason, free: true };
  }
  if (err.retryable && q.attempt < deps.policy.attempts) {
    const afterMs = nextDelay(q.attempt, err, deps.policy.backoff, deps.random);
    deps.log.warn({ ...where, reason, afterMs }, 'delivery failed; will retry');
    deps.observer?.failed({ target: q.data.target, platform: platformOf(q.data.target), error: err, next: 'retry' });
    return { kind: 'retry', afterMs, reason };
  }
  deps.log.error({ ...where, reason }, 'delivery failed; moved to dead letters');
  deps.observer?.failed({ target: q.data.target, platform: platformOf(q.data.target), error: err, next: 'dead' });
  try {
    deps.onDeadLetter?.(q.data, err);
  } catch (hookErr) {
    deps.log.error({ ...where, err: String(hookErr) }, 'dead-letter notice failed');
  }
  return { kind: 'dead', reason };
}

/**
 * Chat and render failures arrive classified. Anything else comes from our own store (or a bug
 * around it); store trouble is usually passing, so those are retried within the attempt budget.
 */
function asChatError(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new ChatError(redact(`internal: ${text.slice(0, 300)}`), 'server_error', true, undefined, { cause: err });
}

function observed(deps: DeliveryWorkerDeps, target: ChatTarget, job: DeliveryJob, receivedAt: string): ChatTarget {
  const observer = deps.observer;
  if (!observer) return target;
  const replay = job.replay === true;
  return observedTarget(target, (kind) => observer.answered({ kind, target: job.target, platform: target.platform, receivedAt, replay }));
}

/** The stages' log with the job's correlation fields on every line. */
function correlated(log: DeliveryLog, where: object): DeliveryLog {
  return {
    debug: (obj, msg) => log.debug({ ...where, ...obj }, msg),
    info: (obj, msg) => log.info({ ...where, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...where, ...obj }, msg),
    error: (obj, msg) => log.error({ ...where, ...obj }, msg),
  };
}
