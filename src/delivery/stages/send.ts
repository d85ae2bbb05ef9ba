import { ChatError, type MessageRef } from '../../chat/target.js';
import type { NeutralMessage, Platform } from '../../render/message.js';
import { lifecycleKey, ownMessageKey } from '../../store/lifecycle-key.js';
import type { MessageRefs, StoredEvent } from '../../store/types.js';
import type { Delivery } from '../delivery.js';
import type { DeliveryJob } from '../job.js';
import type { PaceLimit, Pacer } from '../pace.js';
import type { Stage, StageEnv } from '../stage.js';

export interface SendDeps {
  readonly refs: MessageRefs;
  readonly pacer: Pacer;
  readonly paceLimits: Readonly<Partial<Record<Platform, PaceLimit>>>;
}

/** Which message an event belongs to: its lifecycle (correlation key), or itself. */
export function refKeyFor(event: StoredEvent, job: Pick<DeliveryJob, 'thread'>): string {
  return job.thread === 'new' ? ownMessageKey(event) : lifecycleKey(event);
}

/** Where the thread reply one event made is remembered, so a re-run does not reply twice. */
const replyKeyFor = (key: string, event: StoredEvent): string => `${key}#reply:${event.source}/${event.id}`;

/**
 * The idempotent send: look the message reference up before any chat call, record it right after
 * the platform answers. A job that runs again (retry, crash recovery, queue redelivery) finds the
 * reference and updates in place instead of posting a second copy.
 */
export function sendStage(deps: SendDeps): Stage<Delivery> {
  return {
    name: 'send',
    async run(d, env) {
      if (!d.message) throw new Error('send stage needs a rendered message');
      const key = refKeyFor(d.event, d.job);
      const existing = await deps.refs.get(key, d.job.target);
      if (!existing) return { ...d, ref: await postFirst(deps, d, d.message, key) };
      const stale = !d.job.replay && (await newerShown(deps, d, key));
      if (stale) env.log.info({ target: d.job.target, key, event: d.event.id }, 'a newer event of this lifecycle is already shown; not updating');
      const ref = stale ? existing : await updateOrRepost(deps, d, d.message, existing, key, env);
      if (d.job.thread === 'reply') await replyOnce(deps, d, d.message, ref, key);
      return { ...d, ref };
    },
  };
}

async function postFirst(deps: SendDeps, d: Delivery, msg: NeutralMessage, key: string): Promise<MessageRef> {
  await pace(deps, d);
  const ref = await d.target.post(d.channel, msg);
  // The one window no chat API lets us close: a crash after the platform accepted the post and
  // before this write loses the reference, and the re-run posts a second copy. Nothing else
  // happens between the call and the write, so the window is this single await.
  await keepTrying(() => deps.refs.put(key, d.job.target, ref));
  await markShown(deps, d, key);
  // This event started the thread; mark its reply as done so a re-run does not reply to itself.
  if (d.job.thread === 'reply') await deps.refs.put(replyKeyFor(key, d.event), d.job.target, ref);
  return ref;
}

async function updateOrRepost(deps: SendDeps, d: Delivery, msg: NeutralMessage, ref: MessageRef, key: string, env: StageEnv): Promise<MessageRef> {
  await pace(deps, d);
  try {
    await d.target.update(ref, msg);
    await markShown(deps, d, key);
    return ref;
  } catch (err) {
    // Someone deleted the message: start the lifecycle over rather than dead-lettering every later
    // event. If the channel itself is gone, the post fails the same way and the job fails with it.
    if (!(err instanceof ChatError) || err.reason !== 'not_found') throw err;
    env.log.warn({ target: d.job.target, key, message: ref.id }, 'message to update is gone; posting a new one');
    return postFirst(deps, d, msg, key);
  }
}

async function replyOnce(deps: SendDeps, d: Delivery, msg: NeutralMessage, root: MessageRef, key: string): Promise<void> {
  const replyKey = replyKeyFor(key, d.event);
  if (await deps.refs.get(replyKey, d.job.target)) return;
  await pace(deps, d);
  const reply = await d.target.reply(root, threadNote(msg));
  await deps.refs.put(replyKey, d.job.target, reply);
}

/**
 * A retried job can arrive after a newer event of its lifecycle was shown (the older one waited out
 * a 429); updating then would put the old state back. The time of the event shown last is kept
 * beside the reference (in the reference's id slot, under its own key).
 */
const shownKeyFor = (key: string): string => `${key}#shown`;

async function newerShown(deps: SendDeps, d: Delivery, key: string): Promise<boolean> {
  const shown = await deps.refs.get(shownKeyFor(key), d.job.target);
  return shown !== undefined && Date.parse(shown.id) > Date.parse(d.event.receivedAt);
}

async function markShown(deps: SendDeps, d: Delivery, key: string): Promise<void> {
  await deps.refs.put(shownKeyFor(key), d.job.target, { platform: d.target.platform, channel: d.channel, id: d.event.receivedAt });
}

/** The short thread reply: what happened, without buttons or details (those live on the root). */
export function threadNote(msg: NeutralMessage): NeutralMessage {
  return {
    title: msg.title,
    severity: msg.severity,
    fields: [],
    actions: [],
    fallback: msg.fallback,
    ...(msg.url ? { url: msg.url } : {}),
    ...(msg.timestamp ? { timestamp: msg.timestamp } : {}),
  };
}

/**
 * The reference of a post the platform already accepted is worth waiting for: giving up turns a
 * store blip (a Redis restart or failover) into a second copy when the job is retried. So the write
 * is retried for a few seconds before the failure is let through.
 */
export async function keepTrying<T>(write: () => Promise<T>, forMs = 10_000): Promise<T> {
  const end = Date.now() + forMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + delay > end) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function pace(deps: SendDeps, d: Delivery): Promise<void> {
  await deps.pacer.wait(`${d.target.platform}:${d.channel}`, deps.paceLimits[d.target.platform]);
}
