import { isAbsolute, resolve } from 'node:path';
import type { HookbridgeConfig } from './schema.js';

const within = (dir: string, p: string) => (isAbsolute(p) ? p : resolve(dir, p));

/** Relative paths in the file mean "next to this file", not "wherever the process was started". */
export function resolvePaths(config: HookbridgeConfig, dir: string): HookbridgeConfig {
  const out = { ...config };
  if (out.templates !== undefined) out.templates = within(dir, out.templates);
  const sqlite = /^sqlite:\/\/(.+)$/.exec(out.store.url);
  if (sqlite && sqlite[1] !== ':memory:') out.store = { ...out.store, url: `sqlite://${within(dir, sqlite[1]!)}` };
  if (out.server.tls) {
    const { cert, key } = out.server.tls;
    out.server = { ...out.server, tls: { cert: within(dir, cert), key: within(dir, key) } };
  }
  return out;
}
