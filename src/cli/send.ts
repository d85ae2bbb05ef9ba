import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadSource } from './load-source.js';
import { findSourceType } from '../sources/registry.js';

export interface SendOptions {
  readonly configFile: string;
  readonly sourceId: string;
  readonly payloadFile: string;
  readonly event?: string;
  readonly url?: string;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** `hookbridge send`: sign a payload the way the source's provider does and POST it. Exit 0 on 2xx. */
export async function runSend(o: SendOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const found = await loadSource(o.configFile, o.sourceId, stderr);
  if (!found) return 1;
  const { config, source: cfg } = found;
  const type = findSourceType(cfg.type)!;
  const { port, tls } = config.server;
  const url = new URL(o.url ?? `${tls ? 'https' : 'http'}://127.0.0.1:${port}/hooks/${encodeURIComponent(o.sourceId)}`);
  let payload: Buffer;
  try {
    payload = await readFile(o.payloadFile);
  } catch (err) {
    stderr.write(`cannot read ${o.payloadFile}: ${(err as Error).message}\n`);
    return 1;
  }
  let signed: Awaited<ReturnType<typeof type.sign>>;
  try {
    signed = await type.sign(payload, cfg, { now: new Date(), url, deliveryId: randomUUID(), ...(o.event ? { event: o.event } : {}) });
  } catch (err) {
    stderr.write(`cannot sign for ${o.sourceId} (${cfg.type}): ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(15_000) });
    stdout.write(`${res.status} ${res.statusText}\n${await res.text()}\n`);
    return res.ok ? 0 : 1;
  } catch (err) {
    stderr.write(`POST ${url.origin}${url.pathname} failed: ${(err as Error).cause ?? (err as Error).message}\n`);
    return 1;
  }
}
