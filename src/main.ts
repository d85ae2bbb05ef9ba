import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import type Koa from 'koa';
import { createChatTargets, type ChatTargets } from './chat/chat-targets.js';
import { redact } from './chat/classify.js';
import { ChatError } from './chat/target.js';
import type { HookbridgeConfig } from './config/schema.js';
import { createDeliveryMetrics } from './delivery/delivery-metrics.js';
import type { DeliveryJob } from './delivery/job.js';
import { createOpsAlerts } from './delivery/ops-alerts.js';
import { platformPace, type PaceLimit } from './delivery/pace.js';
import { createDeliveryWorker } from './delivery/worker.js';
import { silentLogger, type Logger } from './lib/log.js';
import { buildRuntime, type Runtime } from './pipeline/runtime.js';
import type { Platform } from './render/message.js';
import { createRenderer, type Renderer } from './render/renderer.js';
import { renderJob } from './render/render-job.js';
import { createApp } from './server/app.js';
import { inboundGuards } from './server/inbound-guards.js';
import { redisLimiters } from './server/rate-limit.js';
import { createMetrics, type Metrics } from './server/metrics.js';
import { applyMessageState, createInteractions, messageState, type Interactions } from './interact/index.js';
import { openStore, type Store } from './store/open-store.js';
import type { Consumer } from './store/queue.js';

/** Built-in templates ship beside src/ (and dist/). */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../templates', import.meta.url));

export interface HookbridgeOptions {
  readonly log?: Logger;
  readonly now?: () => Date;
  readonly store?: Store<DeliveryJob>;
  /** Start delivery workers (default true). */
  readonly deliver?: boolean;
  /** Where the `console` target prints (default stdout). */
  readonly consoleOut?: NodeJS.WritableStream;
  readonly random?: () => number;
  /** Register the Discord `/hookbridge` command when Discord is configured (the start command sets it). */
  readonly registerCommands?: boolean;
}

/** Everything built from one config version; swapped whole on reload. */
interface Live {
  readonly runtime: Runtime;
  readonly renderer: Renderer;
  readonly targets: ChatTargets;
}

/** One running hookbridge without its listener: the composition root that tests and `start` share. */
export interface Hookbridge {
  readonly app: Koa;
  readonly store: Store<DeliveryJob>;
  readonly metrics: Metrics;
  readonly log: Logger;
  runtime(): Runtime;
  renderer(): Renderer;
  targets(): ChatTargets;
  /** Slack and Discord chat-ops (buttons and slash commands). */
  readonly interactions: Interactions;
  /** Swap in a new valid config (hot reload). The store URL and port need a restart. */
  reconfigure(config: HookbridgeConfig): Promise<void>;
  /** Stop delivering (in-flight jobs finish or stay queued for the next start) and close the store. */
  close(timeoutMs?: number): Promise<void>;
}

/** Per-channel pacing: the platforms' documented limits unless the config sets its own. */
function paceLimits(config: HookbridgeConfig): Partial<Record<Platform, PaceLimit | undefined>> {
  const pick = (p: 'slack' | 'discord') => {
    const set = config.delivery.pace?.[p];
    return set === undefined ? platformPace[p] : set === 'off' ? undefined : set;
  };
  return { slack: pick('slack'), discord: pick('discord'), console: undefined };
}

async function build(config: HookbridgeConfig, o: HookbridgeOptions): Promise<Live> {
  const renderer = await createRenderer({ builtinDir: BUILTIN_TEMPLATES, ...(config.templates ? { userDir: config.templates } : {}) });
  return { runtime: buildRuntime(config), renderer, targets: createChatTargets(config, { consoleOut: o.consoleOut }) };
}

export async function createHookbridge(config: HookbridgeConfig, o: HookbridgeOptions = {}): Promise<Hookbridge> {
  const log = o.log ?? silentLogger;
  const now = o.now ?? (() => new Date());
  const store =
    o.store ??
    (await openStore<DeliveryJob>(config.store.url, {
      now: () => now().getTime(),
      onLockLost: (key) => log.warn({ key }, 'lifecycle lock lapsed during a send (Redis unreachable for longer than keyLockMs?); another instance may post for this lifecycle'),
    }));
  const metrics = createMetrics({ defaults: o.log !== undefined });
  let live = await build(config, o);
  const deliveryMetrics = createDeliveryMetrics(metrics.registry, {
    depth: () => store.queue.depth(),
    now,
    onDepthError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'queue depth unavailable for /metrics'),
  });
  // Posted straight to chat, never queued: a failing notice cannot produce another one.
  const alerts = createOpsAlerts({
    config: () => live.runtime.config.alerts,
    targets: (t) => live.targets.resolve(t),
    log,
    now,
    ...(store.noticeState ? { state: store.noticeState } : {}),
  });
  // In Redis mode the limits count across every instance.
  const limiterBackend = store.sharedClient ? { backend: redisLimiters(store.sharedClient) } : {};
  let guards = inboundGuards(config, { log, metrics, ...limiterBackend });
  const extraRouters: Router[] = [];
  // Chat-ops: POST /slack/events and /discord/interactions, each answering 404 until its platform is configured.
  const interactions = createInteractions({
    store,
    runtime: () => live.runtime,
    targets: (t) => live.targets.resolve(t),
    render: (event, job, platform) => render(event, job, platform),
    now,
    log,
  });
  extraRouters.push(...interactions.routers);

  const app = createApp({
    runtime: () => live.runtime,
    clientIp: (ctx) => guards.clientIp(ctx),
    guards: () => guards,
    recorder: store.recorder,
    now,
    metrics,
    log,
    extraRouters,
    onAuthFailure: (source, ip) => void alerts.authFailure(source, ip),
    readiness: async () => {
      await store.ping();
      return undefined;
    },
  });

  const providerOf = (source: string) => live.runtime.sources.get(source)?.type.type ?? 'generic';
  const render = renderJob(() => live.renderer, providerOf, now, { log });
  const state = messageState(store, now);
  const worker = createDeliveryWorker({
    queue: store.queue,
    events: store.events,
    refs: store.refs,
    mutes: store.mutes,
    targets: (t) => live.targets.resolve(t),
    ...(store.lock && { lock: store.lock }),
    // A later event of the same lifecycle must keep "Acknowledged by …" and mute lines on the message.
    render: async (event, job, platform) => {
      const message = render(event, job, platform);
      // A store that cannot be read right now (Redis restarting) is passing trouble: retry the job
      // rather than dead-letter it as a broken template.
      const shown = await state(event).catch((err: unknown) => {
        throw new ChatError(redact(`message state unavailable: ${err instanceof Error ? err.message : String(err)}`), 'server_error', true, undefined, { cause: err });
      });
      return applyMessageState(message, shown, platform);
    },
    // Getters, so a reloaded config's retry policy applies to the next attempt.
    policy: {
      get attempts() {
        return live.runtime.config.delivery.attempts;
      },
      get backoff() {
        return live.runtime.config.delivery.backoff;
      },
    },
    log,
    now,
    observer: deliveryMetrics.observer,
    onDeadLetter: (job, err) => void alerts.deadLetter(job, err),
    concurrency: config.delivery.concurrency,
    paceLimits: paceLimits(config),
    ...(store.pacer ? { pacer: store.pacer } : {}),
    ...(o.random ? { random: o.random } : {}),
  });
  const consumer: Consumer | undefined = o.deliver === false ? undefined : worker.start();
  if (o.registerCommands) {
    await interactions.registerCommands().catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not register the Discord /hookbridge command'));
  }

  return {
    app,
    store,
    metrics,
    log,
    runtime: () => live.runtime,
    renderer: () => live.renderer,
    targets: () => live.targets,
    interactions,
    async reconfigure(next) {
      const nextGuards = inboundGuards(next, { log, metrics, previous: guards, ...limiterBackend });
      live = await build(next, o);
      guards = nextGuards;
    },
    async close(timeoutMs = 10_000) {
      await consumer?.close(timeoutMs);
      await alerts.drain();
      await interactions.drain();
      await store.close();
    },
  };
}
