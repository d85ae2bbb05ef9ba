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
  const gate = quietGate(deps.quietMs ?? 10 * 60_000);
  const burst = deps.authBurst ?? { count: 10, windowMs: 60_000 };
  const bursts = burstCounter(burst);
  const inFlight = new Set<Promise<void>>();

  /** Decided synchronously, so concurrent dead letters of one source cannot both pass. */
  function admit(kind: Kind, source: string): { suppressed: number } | undefined {
    const alerts = deps.config();
    if (!alerts || !alerts.on.includes(kind)) return undefined;
    return gate(`${kind}\u0000${source}`, deps.now().getTime());
  }

  function send(notice: Notice): Promise<void> {
    const to = deps.config()?.to ?? [];
    const done = Promise.all(to.map((target) => postOne(deps, target, notice))).then(() => undefined);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    return done;
  }

  return {
    deadLetter(job, error) {
      const admitted = admit('dead-letter', job.event.source);
      return admitted ? send(deadLetterNotice(job, error, admitted.suppressed)) : Promise.resolve();
    },
    authFailure(source, ip) {
      const count = bursts(source, deps.now().getTime());
      if (count === undefined) return Promise.resolve();
      const admitted = admit('auth-failures', source);
      return admitted ? send(authNotice(source, ip, count, burst.windowMs, admitted.suppressed)) : Promise.resolve();
    },
    async drain() {
      await Promise.all([...inFlight]);
    },
  };
}

/** At most one notice per key within `quietMs`; the next one says how many were held back. */
function quietGate(quietMs: number): (key: string, now: number) => { suppressed: number } | undefined {
  const lastSent = new Map<string, { at: number; suppressed: number }>();
  return (key, now) => {
    const last = lastSent.get(key);
    if (last && now - last.at < quietMs) {
      last.suppressed += 1;
      return undefined;
    }
    lastSent.set(key, { at: now, suppressed: 0 });
    return { suppressed: last?.suppressed ?? 0 };
  };
}

/** Failures per source within the window; answers the count once it reaches a burst, then starts over. */
function burstCounter(burst: { count: number; windowMs: number }): (source: string, now: number) => number | undefined {
  const failures = new Map<string, number[]>();
  return (source, now) => {
    const recent = (failures.get(source) ?? []).filter((t) => now - t < burst.windowMs);
    recent.push(now);
    if (recent.length < burst.count) {
      failures.set(source, recent);
      return undefined;
    }
    // One burst is reported (or held back) once; counting starts over for the next one.
    failures.delete(source);
    return recent.length;
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
