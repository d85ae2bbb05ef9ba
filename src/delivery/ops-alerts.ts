import { redact } from '../chat/classify.js';
import type { ResolvedTarget } from '../chat/chat-targets.js';
import type { ChatError } from '../chat/target.js';
import type { HookbridgeConfig } from '../config/schema.js';
import { escapeFor } from '../render/escape.js';
import type { MessageField, NeutralMessage, Platform } from '../render/message.js';
import type { DeliveryJob } from './job.js';
import type { DeliveryLog } from './stage.js';

export type AlertsConfig = NonNullable<HookbridgeConfig['alerts']>;
type Kind = 'dead-letter' | 'auth-failures';

export interface OpsAlertsDeps {
  /** The current config's `alerts:` block (it may change on reload). */
  readonly config: () => AlertsConfig | undefined;
  readonly targets: (target: string) => ResolvedTarget | undefined;
  readonly log: DeliveryLog;
  readonly now: () => Date;
  /** At most one notice per kind and source within this time (default 10 minutes). */
  readonly quietMs?: number;
  /** Signature failures on one source within `windowMs` that make a burst (default 10 in 1 minute). */
  readonly authBurst?: { readonly count: number; readonly windowMs: number };
  /** Where quiet windows and failure counts live (default: this process; Redis mode shares them). */
  readonly state?: NoticeState;
}

/**
 * The quiet windows and failure bursts behind the notices. Several instances that share one state
 * send one notice per window between them, and count one source's failures together wherever the
 * requests landed.
 */
export interface NoticeState {
  /** Admits a notice for `key` unless one was admitted within `quietMs`; answers how many were held back since. */
  admit(key: string, now: number, quietMs: number): Promise<{ suppressed: number } | undefined>;
  /** Counts a failure for `key`; answers the count when it completes a burst (counting then starts over). */
  countFailure(key: string, now: number, burst: Burst): Promise<number | undefined>;
}

export interface Burst {
  readonly count: number;
  readonly windowMs: number;
}

export interface OpsAlerts {
  /** A job was given up: tell the ops channel (the worker's `onDeadLetter`). */
  deadLetter(job: DeliveryJob, error: ChatError): Promise<void>;
  /** An inbound request failed authentication (the hooks route's `onAuthFailure`). */
  authFailure(source: string, ip: string): Promise<void>;
  /** Resolves when notices in flight have been posted or have failed. */
  drain(): Promise<void>;
}

interface Notice {
  readonly title: string;
  readonly text: string;
  readonly fields: readonly [string, string][];
}

/**
 * hookbridge's reports about its own trouble. Notices go straight to the chat targets, never
 * through the delivery queue: a notice that fails is logged and dropped, so a chat outage cannot
 * feed on itself (a dead letter whose notice dead-letters, and so on).
 */
export function createOpsAlerts(deps: OpsAlertsDeps): OpsAlerts {
  const quietMs = deps.quietMs ?? 10 * 60_000;
  const burst = deps.authBurst ?? { count: 10, windowMs: 60_000 };
  const state = deps.state ?? localNoticeState();
  const inFlight = new Set<Promise<void>>();

  /** The state decides atomically, so concurrent dead letters of one source cannot both pass. */
  async function admit(kind: Kind, source: string): Promise<{ suppressed: number } | undefined> {
    const alerts = deps.config();
    if (!alerts || !alerts.on.includes(kind)) return undefined;
    return state.admit(`${kind}\u0000${source}`, deps.now().getTime(), quietMs);
  }

  async function send(notice: Notice): Promise<void> {
    const to = deps.config()?.to ?? [];
    await Promise.all(to.map((target) => postOne(deps, target, notice)));
  }

  /** Everything a call does, gating included, counts as in flight for drain(). */
  function track(work: Promise<void>): Promise<void> {
    const done = work.catch((err: unknown) => deps.log.error({ reason: redact(err instanceof Error ? err.message : String(err)) }, 'ops notice failed; not retried'));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    return done;
  }

  return {
    deadLetter(job, error) {
      return track(
        (async () => {
          const admitted = await admit('dead-letter', job.event.source);
          if (admitted) await send(deadLetterNotice(job, error, admitted.suppressed));
        })(),
      );
    },
    authFailure(source, ip) {
      return track(
        (async () => {
          const count = await state.countFailure(source, deps.now().getTime(), burst);
          if (count === undefined) return;
          const admitted = await admit('auth-failures', source);
          if (admitted) await send(authNotice(source, ip, count, burst.windowMs, admitted.suppressed));
        })(),
      );
    },
    async drain() {
      await Promise.all([...inFlight]);
    },
  };
}

/** Quiet windows and failure bursts kept in this process (decided synchronously, so atomically). */
export function localNoticeState(): NoticeState {
  const lastSent = new Map<string, { at: number; suppressed: number }>();
  const failures = new Map<string, number[]>();
  return {
    async admit(key, now, quietMs) {
      const last = lastSent.get(key);
      if (last && now - last.at < quietMs) {
        last.suppressed += 1;
        return undefined;
      }
      lastSent.set(key, { at: now, suppressed: 0 });
      return { suppressed: last?.suppressed ?? 0 };
    },
    async countFailure(key, now, burst) {
      const recent = (failures.get(key) ?? []).filter((t) => now - t < burst.windowMs);
      recent.push(now);
      if (recent.length < burst.count) {
        failures.set(key, recent);
        return undefined;
      }
      // One burst is reported (or held back) once; counting starts over for the next one.
      failures.delete(key);
      return recent.length;
    },
  };
}

async function postOne(deps: OpsAlertsDeps, target: string, notice: Notice): Promise<void> {
  const resolved = deps.targets(target);
  if (!resolved) {
    deps.log.warn({ alertTarget: target, notice: notice.title }, 'ops notice not sent: alerts target is not configured');
    return;
  }
  try {
    await resolved.target.post(resolved.channel, toMessage(notice, resolved.target.platform));
    deps.log.info({ alertTarget: target, notice: notice.title }, 'ops notice sent');
  } catch (err) {
    const reason = redact(err instanceof Error ? err.message : String(err));
    deps.log.error({ alertTarget: target, notice: notice.title, reason }, 'ops notice failed; not retried');
  }
}

function deadLetterNotice(job: DeliveryJob, error: ChatError, suppressed: number): Notice {
  return {
    title: `Delivery given up · ${job.event.source}`,
    text: [
      `An event from ${job.event.source} could not be delivered to ${job.target} and was moved to the dead letters.`,
      `Fix the cause, then resend it: /hookbridge replay ${job.event.source} ${job.event.id} --to ${job.target}`,
      ...(suppressed > 0 ? [`${suppressed} more dead letter(s) from this source since the last notice.`] : []),
    ].join('\n'),
    fields: [
      ['Source', job.event.source],
      ['Event id', job.event.id],
      ['Target', job.target],
      ['Route', job.route],
      // ChatError messages are redacted when classified; once more in case one was built elsewhere.
      ['Last error', redact(`${error.reason}: ${error.message}`).slice(0, 300)],
    ],
  };
}

function authNotice(source: string, ip: string, count: number, windowMs: number, suppressed: number): Notice {
  return {
    title: `Webhook signature failures · ${source}`,
    text: [
      `${count} requests to /hooks/${source} failed authentication within ${Math.round(windowMs / 1000)}s.`,
      "If the provider's secret was rotated, the configured secret likely no longer matches: add the new one beside the old (a list is allowed).",
      ...(suppressed > 0 ? [`${suppressed} more burst(s) on this source since the last notice.`] : []),
    ].join('\n'),
    fields: [
      ['Source', source],
      ['Failures', String(count)],
      ['Last client', ip || 'unknown'],
    ],
  };
}

function toMessage(notice: Notice, platform: Platform): NeutralMessage {
  const escape = escapeFor(platform);
  const fields: MessageField[] = notice.fields.map(([name, value]) => ({ name, value: escape(value), inline: true }));
  return {
    title: escape(notice.title),
    text: escape(notice.text),
    severity: 'warning',
    fields,
    footer: 'hookbridge ops notice',
    actions: [],
    fallback: notice.title,
  };
}
