import { X509Certificate } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ServerConfig } from '../config/schema.js';
import type { Logger } from '../lib/log.js';

export interface Listener {
  readonly server: HttpServer | HttpsServer;
  /** Where this listener can be reached locally, e.g. `https://127.0.0.1:8443`. */
  readonly url: string;
  /** Stops accepting, stops watching the certificate, and waits for in-flight requests. */
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** Quiet time after a change before the pair is reloaded; certbot and friends write cert and key one after the other. */
  readonly debounceMs?: number;
  /** Node's `server.requestTimeout`: how long a client may take to send a whole request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Node's `server.headersTimeout`: how long it may take to send the headers (default 10 s, at most the request timeout). */
  readonly headersTimeoutMs?: number;
}

/**
 * Timeouts against slow senders (slowloris). Both are given, in the constructor: Node swaps them when
 * the headers timeout is the longer one (its default of 60 s against a 30 s request timeout then let a
 * body trickle in for 60 s), and it only enforces them when it checks its connections, every 30 s by
 * default; once a second costs a walk over the requests still arriving.
 */
function timeouts(o: ListenerOptions) {
  const requestTimeout = o.requestTimeoutMs ?? 30_000;
  const headersTimeout = o.headersTimeoutMs ?? 10_000;
  return {
    requestTimeout,
    // 0 turns a timeout off.
    headersTimeout: requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout,
    connectionsCheckingInterval: 1000,
  };
}

interface Pair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** HTTP, or HTTPS when `tls` is configured, listening on the configured host and port. */
export async function createListener(
  cfg: Pick<ServerConfig, 'port' | 'host' | 'tls'>,
  handler: RequestListener,
  log: Logger,
  o: ListenerOptions = {},
): Promise<Listener> {
  if (!cfg.tls) {
    const server = createHttpServer(timeouts(o), handler);
    await listen(server, cfg);
    return { server, url: urlOf(server, 'http'), close: () => closeServer(server) };
  }
  const paths = { cert: resolve(cfg.tls.cert), key: resolve(cfg.tls.key) };
  // A broken pair at start is fatal; after that a broken rotation only logs and keeps serving the old one.
  let current = await readPair(paths);
  const server = createHttpsServer({ ...timeouts(o), cert: current.cert, key: current.key }, handler);
  const reload = async () => {
    try {
      const next = await readPair(paths);
      if (next.cert.equals(current.cert) && next.key.equals(current.key)) return;
      server.setSecureContext({ cert: next.cert, key: next.key });
      current = next;
      log.info({ cert: paths.cert, ...describe(next.cert) }, 'TLS certificate reloaded');
    } catch (err) {
      log.error({ err: (err as Error).message, cert: paths.cert, key: paths.key }, 'TLS certificate not reloaded; still serving the previous one');
    }
  };
  const stopWatching = watchPair(paths, reload, o.debounceMs ?? 250);
  await listen(server, cfg).catch((err: unknown) => {
    stopWatching();
    throw err;
  });
  return {
    server,
    url: urlOf(server, 'https'),
    close: async () => {
      stopWatching();
      await closeServer(server);
    },
  };
}

/** Reads both files and proves they belong together (createSecureContext throws on a key that does not match). */
async function readPair(paths: { cert: string; key: string }): Promise<Pair> {
  const [cert, key] = await Promise.all([readFile(paths.cert), readFile(paths.key)]);
  createSecureContext({ cert, key });
  return { cert, key };
}

/**
 * Watches the folders, not the files: renewal tools replace files by rename, and Kubernetes swaps a
 * `..data` symlink, so the watched inode or name may never change itself. Any change in either folder
 * schedules a reload; an unchanged pair is then a no-op.
 */
function watchPair(paths: { cert: string; key: string }, reload: () => Promise<void>, debounceMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (running = running.then(reload)), debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(paths.cert), dirname(paths.key)])) {
    const w = watch(dir, { persistent: false }, schedule);
    w.on('error', () => w.close());
    watchers.push(w);
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

function describe(cert: Buffer): { fingerprint256?: string; validTo?: string } {
  try {
    const x = new X509Certificate(cert);
    return { fingerprint256: x.fingerprint256, validTo: x.validTo };
  } catch {
    return {};
  }
}

function listen(server: HttpServer, cfg: Pick<ServerConfig, 'port' | 'host'>): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', fail);
      ok();
    });
  });
}

function urlOf(server: HttpServer, scheme: 'http' | 'https'): string {
  const { address, port, family } = server.address() as AddressInfo;
  const wildcard = address === '0.0.0.0' || address === '::';
  const host = wildcard ? (family === 'IPv6' ? '[::1]' : '127.0.0.1') : family === 'IPv6' ? `[${address}]` : address;
  return `${scheme}://${host}:${port}`;
}

function closeServer(server: HttpServer): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeIdleConnections();
  });
}
