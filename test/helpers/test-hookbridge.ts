import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { loadConfigText } from '../../src/config/load.js';
import { formatConfigError } from '../../src/config/errors.js';
import type { HookbridgeConfig } from '../../src/config/schema.js';
import { createHookbridge, type Hookbridge, type HookbridgeOptions } from '../../src/main.js';
import { createListener } from '../../src/server/tls.js';

export function configFrom(yaml: string, env: NodeJS.ProcessEnv = {}, file = '/tmp/hookbridge-test/hookbridge.yaml'): HookbridgeConfig {
  const r = loadConfigText(yaml, file, { env });
  if (!r.ok) throw new Error(`test config invalid:\n${r.errors.map(formatConfigError).join('\n')}`);
  return r.config;
}

export interface RunningHookbridge {
  readonly hb: Hookbridge;
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A hookbridge on a free loopback port, for integration tests. */
export async function startHookbridge(config: HookbridgeConfig, o: HookbridgeOptions = {}): Promise<RunningHookbridge> {
  // The console target would print every delivered test event; tests that read it pass their own stream.
  const hb = await createHookbridge(config, { consoleOut: new Writable({ write: (_c, _e, cb) => cb() }), ...o });
  if (config.server.tls) return startTls(hb, config);
  const server = createServer(hb.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hb,
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await hb.close().catch(() => undefined);
    },
  };
}

/** With `server.tls`, through the same listener `start` uses, so certificate rotation is exercised for real. */
async function startTls(hb: Hookbridge, config: HookbridgeConfig): Promise<RunningHookbridge> {
  const listener = await createListener({ ...config.server, port: 0, host: '127.0.0.1' }, hb.app.callback(), hb.log, { debounceMs: 50 });
  return {
    hb,
    server: listener.server,
    url: listener.url,
    async close() {
      listener.server.closeAllConnections();
      await listener.close();
      await hb.close().catch(() => undefined);
    },
  };
}
