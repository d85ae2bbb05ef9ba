// One server under test, in its own process so the load generator does not share its event loop.
// Usage: tsx bench/server.ts <bare|bare-read|verify-parse|memory|sqlite|memory+guards> [GITHUB_EVENT] | tsx bench/server.ts config FILE
// Prints "listening <port>" when ready.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, loadConfigText } from '../src/config/load.js';
import { createLogger } from '../src/lib/log.js';
import { createHookbridge } from '../src/main.js';
import { BENCH_SECRET } from './payload.js';

const mode = process.argv[2] ?? 'bare';
/** The event the load sends: the route matches it (a payload condition included), so every request records one delivery job. */
const event = process.argv[3] ?? 'workflow_run';
/** The SQLite file's directory: a run writes gigabytes, removed when the server stops. */
let scratch: string | undefined;
// Logged as `hookbridge start` logs (a JSON line per webhook, process metrics on), into /dev/null.
const log = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) });

async function handler() {
  if (mode === 'bare-read') {
    // The same bare server, but it reads the body before answering, as any webhook receiver must.
    return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      req.on('data', () => undefined).on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}'));
    };
  }
  if (mode === 'verify-parse') {
    // The floor under any verifying receiver: read the body, check its HMAC, parse its JSON, answer.
    // No framework, no store, no routing; what hookbridge adds is the distance to this row.
    const expected = (body: Buffer) => Buffer.from(`sha256=${createHmac('sha256', BENCH_SECRET).update(body).digest('hex')}`);
    return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const body = Buffer.concat(chunks);
        const got = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
        const want = expected(body);
        if (got.length !== want.length || !timingSafeEqual(got, want)) return void res.writeHead(401).end();
        try {
          JSON.parse(body.toString('utf8'));
        } catch {
          return void res.writeHead(400).end();
        }
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
      });
    };
  }
  if (mode === 'bare') {
    return (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
    };
  }
  if (mode === 'config') {
    const loaded = await loadConfig(process.argv[3]!, { env: process.env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return (await createHookbridge(loaded.config, { log })).app.callback();
  }
  const guarded = mode.endsWith('+guards');
  if (mode.startsWith('sqlite')) scratch = await mkdtemp(join(tmpdir(), 'hb-bench-'));
  const storeUrl = scratch ? `sqlite://${join(scratch, 'bench.sqlite')}` : 'memory://';
  // "+guards": the allowlist and rate limits on, set so that no benchmark request is refused.
  const guards = guarded ? '\nserver: { rateLimit: { perIp: 1000000/s, failedAuth: { max: 1000, window: 1m, block: 1m } } }' : '';
  const allow = guarded ? ', allow: [10.0.0.0/8, 127.0.0.0/8, "::1/128"], rateLimit: 1000000/s' : '';
  const yaml = `${guards}
store: { url: "${storeUrl}" }
sources:
  gh: { type: github, secret: "${BENCH_SECRET}"${allow} }
routes:
  - match: { source: gh, event: ${event}, where: { repository.full_name: "~/" } }
    to: [console]
`;
  const loaded = loadConfigText(yaml, join(process.cwd(), 'bench', 'bench.yaml'), { env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  // Ingest alone is measured here: delivery workers stay off (accept-to-post is measured separately).
  const hb = await createHookbridge(loaded.config, { deliver: false, log });
  return hb.app.callback();
}

const server = createServer(await handler());
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
