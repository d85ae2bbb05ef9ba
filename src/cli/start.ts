import { formatConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { HookbridgeConfig } from '../config/schema.js';
import { watchConfig } from '../config/watch.js';
import { createLogger } from '../lib/log.js';
import { createHookbridge, type Hookbridge } from '../main.js';
import { createListener } from '../server/tls.js';

export interface StartOptions {
  readonly configFile: string;
  readonly out?: NodeJS.WritableStream;
}

/** `hookbridge start`: serve until SIGTERM/SIGINT; reload the config on change and on SIGHUP. */
export async function runStart(o: StartOptions): Promise<number> {
  const out = o.out ?? process.stderr;
  const loaded = await loadConfig(o.configFile);
  if (!loaded.ok) {
    for (const e of loaded.errors) out.write(`${formatConfigError(e)}\n`);
    out.write(`hookbridge: not started, ${loaded.errors.length} problem(s) in the config\n`);
    return 1;
  }
  const config = loaded.config;
  const log = createLogger();
  const hb = await createHookbridge(config, { log, registerCommands: true });
  for (const p of hb.renderer().check()) log.warn({ template: p }, 'template problem');
  const listener = await createListener(config.server, hb.app.callback(), log, { requestTimeoutMs: 30_000 });
  out.write(banner(config, hb, listener.url));

  const watcher = watchConfig(config.file, {
    extraPaths: config.templates ? [config.templates] : [],
    onReload: (next) => {
      hb.reconfigure(next).then(
        () => log.info({ sources: Object.keys(next.sources), routes: next.routes.length }, 'config reloaded'),
        (err: unknown) => log.error({ err }, 'config reload failed; the previous config keeps serving'),
      );
    },
    onInvalid: (errors) => {
      for (const e of errors) log.error({ problem: formatConfigError(e) }, 'config rejected; the previous config keeps serving');
    },
  });
  await shutdownOn(['SIGTERM', 'SIGINT'], async (signal) => {
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight deliveries');
    watcher.close();
    await Promise.all([listener.close(), hb.close(10_000)]);
    log.info('stopped');
  });
  return 0;
}

function shutdownOn(signals: NodeJS.Signals[], stop: (signal: NodeJS.Signals) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    for (const s of signals) {
      process.on(s, () => {
        if (stopping) return;
        stopping = true;
        stop(s).finally(resolve);
      });
    }
  });
}

function banner(config: HookbridgeConfig, hb: Hookbridge, url: string): string {
  const base = url.replace('//0.0.0.0:', '//localhost:').replace('//[::]:', '//localhost:');
  const lines = [
    `hookbridge listening on ${base} (config ${config.file})`,
    `  store: ${hb.store.kind} (${hb.store.location})`,
    `  chat: ${hb.targets().enabled.join(', ')}`,
    `  sources (${Object.keys(config.sources).length}):`,
    ...Object.entries(config.sources).map(([id, s]) => `    ${id.padEnd(12)} ${s.type.padEnd(13)} POST ${base}/hooks/${id}`),
    `  routes (${config.routes.length}):`,
    ...config.routes.map((r, i) => `    ${(r.name ?? `#${i}`).padEnd(16)} → ${r.to.join(', ')}`),
    `  health: ${base}/healthz  ready: ${base}/readyz  metrics: ${base}/metrics`,
  ];
  return `${lines.join('\n')}\n`;
}
