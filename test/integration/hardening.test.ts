import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const SECRET = 'gh-hardening-secret';
// Linux routes all of 127.0.0.0/8 to loopback, so a client can pose as a second and third machine.
const OTHER = '127.0.0.2';
const THIRD = '127.0.0.3';

const base = (server: string, sources = 'gh: { type: github, secret: "' + SECRET + '" }') => `
${server}
store: { url: "memory://" }
sources:
  ${sources}
routes:
  - match: {}
    to: [console]
`;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown>;
}

interface SendOptions {
  from?: string;
  path?: string;
  body?: string;
  forged?: boolean;
  headers?: Record<string, string>;
  agent?: Agent;
}

async function send(url: string, o: SendOptions = {}): Promise<Reply> {
  const body = o.body ?? JSON.stringify({ zen: 'hardening', n: Math.random() });
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': crypto.randomUUID(),
    'x-hub-signature-256': await sign(o.forged ? 'forged-secret' : SECRET, body),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(`${url}${o.path ?? '/hooks/gh'}`, {
      method: 'POST',
      headers,
      ...(o.from && { localAddress: o.from }),
      agent: o.agent ?? false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const running: RunningHookbridge[] = [];
async function start(yaml: string, log?: pino.Logger) {
  const app = await startHookbridge(configFrom(yaml), log ? { log } : {});
  running.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('allowlist', () => {
  it('refuses an address outside `allow` with 403 and accepts one inside', async () => {
    const app = await start(base('', `gh: { type: github, secret: "${SECRET}", allow: [127.0.0.1/32, ${THIRD}] }`));
    const refused = await send(app.url, { from: OTHER });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: 'client address not allowed' });
    expect((await send(app.url, { from: '127.0.0.1' })).status).toBe(202);
    expect((await send(app.url, { from: THIRD })).status).toBe(202);
  });

  it('answers 403 before reading the body: a request whose body never comes is still answered', async () => {
    const app = await start(base('', `gh: { type: github, secret: "${SECRET}", allow: [10.0.0.0/8] }`));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/hooks/gh`, {
        method: 'POST',
        localAddress: OTHER,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': '100000' },
      });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0), req.destroy()));
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(403);
  });

  it('honours X-Forwarded-For only from a trusted hop', async () => {
    const app = await start(base('server: { trustProxy: [127.0.0.1/32] }', `gh: { type: github, secret: "${SECRET}", allow: [198.51.100.0/24] }`));
    const via = (from: string, xff?: string) => send(app.url, { from, ...(xff !== undefined && { headers: { 'x-forwarded-for': xff } }) });
    expect((await via('127.0.0.1', '198.51.100.7')).status).toBe(202);
    // The same header from a peer that is not a trusted proxy is a spoof and is ignored.
    expect((await via(OTHER, '198.51.100.7')).status).toBe(403);
    // A client that writes an allowed address itself, behind the trusted proxy, is still judged by its own address.
    expect((await via('127.0.0.1', '198.51.100.7, 203.0.113.9')).status).toBe(403);
    expect((await via('127.0.0.1')).status).toBe(403);
  });
});

describe('rate limits', () => {
  it('limits per IP before verification, with Retry-After, and counts it', async () => {
    const app = await start(base('server: { rateLimit: { perIp: 5/m } }'));
    for (let i = 0; i < 5; i++) expect((await send(app.url, { from: OTHER })).status).toBe(202);
    // Forged, so only a check made before verification can answer 429 rather than 401.
    const limited = await send(app.url, { from: OTHER, forged: true });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'rate limit exceeded' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await send(app.url, { from: THIRD })).status).toBe(202);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/hookbridge_rate_limited_total\{source="gh",limit="per_ip"\} 1\b/);
  });

  it('limits per source whatever the address', async () => {
    const app = await start(base('', `gh: { type: github, secret: "${SECRET}", rateLimit: 3/m }\n  other: { type: github, secret: "${SECRET}" }`));
    const statuses = [];
    for (const from of ['127.0.0.1', OTHER, THIRD, '127.0.0.4']) statuses.push((await send(app.url, { from })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await send(app.url, { from: '127.0.0.4', path: '/hooks/other' })).status).toBe(202);
  });

  it('blocks an address after repeated 401s while others go on being accepted, and lifts the block on time', async () => {
    const app = await start(base('server: { rateLimit: { failedAuth: { max: 20, window: 1m, block: 1s } } }'));
    const forger = new Agent({ keepAlive: true, maxSockets: 10 });
    const honest = new Agent({ keepAlive: true, maxSockets: 2 });
    const forged: number[] = [];
    const valid: number[] = [];
    const started = Date.now();
    const flood = async () => {
      for (let i = 0; i < 100; i++) forged.push((await send(app.url, { from: OTHER, forged: true, agent: forger })).status);
    };
    const meanwhile = async () => {
      for (let i = 0; i < 20; i++) valid.push((await send(app.url, { from: THIRD, agent: honest })).status);
    };
    await Promise.all([...Array.from({ length: 10 }, flood), meanwhile()]);
    const elapsedBlocks = Math.ceil((Date.now() - started) / 1000);
    forger.destroy();
    honest.destroy();

    expect(forged).toHaveLength(1000);
    expect(valid.every((s) => s === 202)).toBe(true);
    const unauthorized = forged.filter((s) => s === 401).length;
    const limited = forged.filter((s) => s === 429).length;
    expect(unauthorized + limited).toBe(1000);
    expect(unauthorized).toBeGreaterThanOrEqual(20);
    // Each block lets at most `max` failures plus the requests already in flight through before the next one.
    expect(unauthorized).toBeLessThanOrEqual((20 + 10) * (1 + elapsedBlocks));
    expect(limited).toBeGreaterThan(500);

    // Make sure the address is blocked now, then: even a valid request from it waits for the block to end.
    let last = 0;
    for (let i = 0; i < 25 && last !== 429; i++) last = (await send(app.url, { from: OTHER, forged: true })).status;
    expect(last).toBe(429);
    const during = await send(app.url, { from: OTHER });
    expect(during.status).toBe(429);
    expect(during.headers['retry-after']).toBe('1');
    await sleep(1200);
    expect((await send(app.url, { from: OTHER })).status).toBe(202);

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/hookbridge_rate_limited_total\{source="gh",limit="failed_auth"\} \d+/);
  }, 30_000);
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.warn('hardening.test.ts: openssl CLI not found; HTTPS tests skipped');

describe.skipIf(!hasOpenssl)('HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookbridge-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh self-signed pair for 127.0.0.1, written beside the live files and moved over them the way renewal tools do. */
  const generate = (name: string) => {
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.crt`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=hookbridge-test', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    return { cert, key };
  };
  const install = (pair: { cert: string; key: string }, parts: Array<'cert' | 'key'> = ['cert', 'key']) => {
    for (const p of parts) renameSync(pair[p], join(dir, `live.${p === 'cert' ? 'crt' : 'key'}`));
  };

  const served = (url: string) =>
    new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
      void (async () => {
        const body = '{"zen":"tls"}';
        const req = httpsRequest(`${url}/hooks/gh`, {
          method: 'POST',
          agent: false,
          rejectUnauthorized: false,
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': await sign(SECRET, body) },
        });
        req.on('response', (res) => {
          const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
        });
        req.on('error', reject);
        req.end(body);
      })();
    });

  const waitFor = async (what: () => Promise<boolean>, ms = 5000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await what()) return true;
      await sleep(50);
    }
    return false;
  };

  it('serves HTTPS and picks up a rotated certificate without a restart; a broken pair keeps the old one', async () => {
    install(generate('first'));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    const app = await start(base(`server: { tls: { cert: "${join(dir, 'live.crt')}", key: "${join(dir, 'live.key')}" } }`), log);
    expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const first = await served(app.url);
    expect(first.status).toBe(202);

    install(generate('second'));
    expect(await waitFor(async () => (await served(app.url)).fingerprint !== first.fingerprint)).toBe(true);
    const second = await served(app.url);
    expect(second.status).toBe(202);
    expect(lines.some((l) => l.includes('TLS certificate reloaded'))).toBe(true);

    // Only a new certificate arrives, without its key: the pair does not match, so the second stays.
    const errorsBefore = lines.filter((l) => l.includes('TLS certificate not reloaded')).length;
    install(generate('third'), ['cert']);
    expect(await waitFor(async () => lines.filter((l) => l.includes('TLS certificate not reloaded')).length > errorsBefore)).toBe(true);
    const after = await served(app.url);
    expect(after).toEqual({ status: 202, fingerprint: second.fingerprint });
  }, 30_000);
});
