import type Koa from 'koa';
import type { HookbridgeConfig } from './config/schema.js';
import type { DeliveryJob } from './delivery/job.js';
import { silentLogger, type Logger } from './lib/log.js';
import { buildRuntime, type Runtime } from './pipeline/runtime.js';
import { createApp } from './server/app.js';
import { createMetrics, type Metrics } from './server/metrics.js';
import { openStore, type Store } from './store/open-store.js';

export interface HookbridgeOptions {
  readonly log?: Logger;
  readonly now?: () => Date;
  readonly store?: Store<DeliveryJob>;
}

/** One running hookbridge without its listener: the composition root that tests and `start` share. */
export interface Hookbridge {
  readonly app: Koa;
  readonly store: Store<DeliveryJob>;
  readonly metrics: Metrics;
  readonly log: Logger;
  runtime(): Runtime;
  /** Swap in a new valid config (hot reload). */
  reconfigure(config: HookbridgeConfig): void;
  close(): Promise<void>;
}

export async function createHookbridge(config: HookbridgeConfig, o: HookbridgeOptions = {}): Promise<Hookbridge> {
  const log = o.log ?? silentLogger;
  const now = o.now ?? (() => new Date());
  const store = o.store ?? (await openStore<DeliveryJob>(config.store.url, { now: () => now().getTime() }));
  const metrics = createMetrics({ defaults: o.log !== undefined });
  let runtime = buildRuntime(config);
  const app = createApp({
    runtime: () => runtime,
    recorder: store.recorder,
    now,
    metrics,
    log,
    readiness: async () => {
      await store.ping();
      return undefined;
    },
  });
  return {
    app,
    store,
    metrics,
    log,
    runtime: () => runtime,
    reconfigure(next) {
      runtime = buildRuntime(next);
    },
    async close() {
      await store.close();
    },
  };
}
