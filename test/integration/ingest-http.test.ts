import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CODES, request } from 'node:http';
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { sign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const GH_SECRET = 'gh-test-secret-1';
const GH_SECRET_NEW = 'gh-test-secret-2';
const STRIPE_SECRET = 'whsec_test_stripe_secret';
const STD_SECRET = `whsec_${Buffer.from('standard-webhooks-test-key-32bytes!').toString('base64')}`;
const AM_TOKEN = 'am-bearer-token';
const GRAFANA_SECRET = 'grafana-hmac-secret';

const yaml = `
server: { bodyLimit: 64kb }
store: { url: "memory://" }
sources:
  gh: { type: github, secret: ["${GH_SECRET}", "${GH_SECRET_NEW}"] }
  pay: { type: stripe, secret: "${STRIPE_SECRET}", tolerance: 5m }
  std: { type: standard, secret: "${STD_SECRET}" }
  am: { type: alertmanager, token: "${AM_TOKEN}" }
  graf: { type: grafana, secret: "${GRAFANA_SECRET}" }
routes:
  - name: everything
    match: {}
    to: [console]
`;

const stripe = new Stripe('sk_test_unused');
let app: RunningHookbridge;

beforeAll(async () => {
  app = await startHookbridge(configFrom(yaml));
});
afterAll(async () => app.close());

async function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(app.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

async function github(body: string, o: { secret?: string; delivery?: string; event?: string; headers?: Record<string, string> } = {}) {
  return post('/hooks/gh', body, {
    'x-github-event': o.event ?? 'push',
    'x-github-delivery': o.delivery ?? crypto.randomUUID(),
    'x-hub-signature-256': await sign(o.secret ?? GH_SECRET, body),
    ...o.headers,
  });
}

const counter = async (source: string, outcome: string) => {
  const m = await app.hb.metrics.inbound.get();
  return m.values.find((v) => v.labels.source === source && v.labels.outcome === outcome)?.value ?? 0;
};

describe('POST /hooks/:sourceId', () => {
  it('accepts a signed GitHub delivery with 202 and names the event id', async () => {
    const id = crypto.randomUUID();
    const r = await github('{"ref":"refs/heads/main"}', { delivery: id });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: 'accepted', id, type: 'push', jobs: 1 });
    const stored = await app.hb.store.events.get({ source: 'gh', id });
    expect(stored).toMatchObject({ type: 'push', payload: { ref: 'refs/heads/main' }, headers: { 'x-github-event': 'push' } });
  });

  it('accepts a delivery signed with the second (rotated) secret', async () => {
    expect((await github('{}', { secret: GH_SECRET_NEW })).status).toBe(202);
  });

  it('answers a duplicate delivery with 200, counts it and records no second job', async () => {
    const id = crypto.randomUUID();
    const before = await counter('gh', 'duplicate');
    expect((await github('{"a":1}', { delivery: id })).status).toBe(202);
    const dup = await github('{"a":1}', { delivery: id });
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ status: 'duplicate', id });
    expect(await counter('gh', 'duplicate')).toBe(before + 1);
  });

  it('records concurrent duplicates exactly once', async () => {
    const id = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => github('{"race":true}', { delivery: id })));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
  });

  it.each([
    ['a wrong signature', { secret: 'not-the-secret' }],
    ['a missing signature', { headers: { 'x-hub-signature-256': '' } }],
    ['a truncated signature', { headers: { 'x-hub-signature-256': 'sha256=abc' } }],
  ])('refuses %s with 401 and leaks no secret', async (_name, o) => {
    const r = await github('{}', o);
    expect(r.status).toBe(401);
    expect(r.json.error).toMatch(/authentication failed/);
    expect(r.text).not.toContain(GH_SECRET);
  });

  it('refuses malformed JSON behind a valid signature with 400', async () => {
    const r = await github('{"ref": ');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/not valid JSON/);
  });

  it('refuses a delivery without its event header with 400', async () => {
    const body = '{}';
    const r = await post('/hooks/gh', body, { 'x-github-delivery': 'd1', 'x-hub-signature-256': await sign(GH_SECRET, body) });
    expect(r.status).toBe(400);
  });

  it('refuses an unsupported content type with 415 before reading the body', async () => {
    const r = await github('<xml/>', { headers: { 'content-type': 'text/xml' } });
    expect(r.status).toBe(415);
  });

  it('names the content types it takes in a 415 but never repeats the one it was sent', async () => {
    const sent = 'text/x-<img src=x onerror=alert(1)>-token-0123456789';
    const r = await github('{}', { headers: { 'content-type': sent } });
    expect(r.status).toBe(415);
    expect(r.json.error).toMatch(/application\/json/);
    expect(r.text).not.toContain('onerror');
    expect(r.text).not.toContain('0123456789');
  });

  it('answers an unknown source with 404 and a wrong method with 405', async () => {
    expect((await github('{}').then(() => post('/hooks/nope', '{}', {}))).status).toBe(404);
    const get = await fetch(`${app.url}/hooks/gh`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
    expect(await get.json()).toEqual({ error: 'method not allowed' });
    const options = await fetch(`${app.url}/hooks/gh`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST');
    // Beyond the source id the path names nothing.
    const beyond = await post('/hooks/gh/extra', '{}', {});
    expect(beyond.status).toBe(404);
    expect(beyond.json).toEqual({ error: 'not found' });
    expect((await fetch(`${app.url}/nothing-here`)).status).toBe(404);
  });

  it('takes PUT from Grafana, whose contact point can be set to send it, and from no other source', async () => {
    const body = readFileSync(new URL('../fixtures/sources/grafana/firing.json', import.meta.url));
    const signature = createHmac('sha256', GRAFANA_SECRET).update(body).digest('hex');
    const put = await fetch(`${app.url}/hooks/graf`, { method: 'PUT', body, headers: { 'content-type': 'application/json', 'x-grafana-alerting-signature': signature } });
    expect(put.status).toBe(202);
    // Verified like a POST: a bad signature is still a 401.
    const forged = await fetch(`${app.url}/hooks/graf`, { method: 'PUT', body, headers: { 'content-type': 'application/json', 'x-grafana-alerting-signature': '00'.repeat(32) } });
    expect(forged.status).toBe(401);
    const options = await fetch(`${app.url}/hooks/graf`, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('POST, PUT');
    const elsewhere = await fetch(`${app.url}/hooks/gh`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(elsewhere.status).toBe(405);
    expect(elsewhere.headers.get('allow')).toBe('POST');
    expect((await fetch(`${app.url}/hooks/graf`, { method: 'DELETE' })).status).toBe(405);
  });

  it('takes the source id percent-encoded or with a trailing slash, as the router did', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const headers = { 'x-github-event': 'ping', 'x-hub-signature-256': await sign(GH_SECRET, body) };
    expect((await post('/hooks/g%68', body, { ...headers, 'x-github-delivery': 'enc-1' })).status).toBe(202);
    expect((await post('/hooks/gh/', body, { ...headers, 'x-github-delivery': 'slash-1' })).status).toBe(202);
    expect((await post('/hooks/%E0%A4%A', body, { ...headers, 'x-github-delivery': 'bad-1' })).status).toBe(404);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    const r = await github(big);
    expect(r.status).toBe(413);
  });

  it('refuses a declared 50 MB body with 413 after reading almost none of it', async () => {
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(`${app.url}/hooks/gh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024), 'x-github-event': 'push' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
      };
      req.on('drain', pump);
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(10 * 1024 * 1024);
  });

  it('closes the connection after refusing a request whose body is still coming, instead of reading it all', async () => {
    /** Writes a 100 MB body (declared, or chunked) until the server closes the socket; what it answered and how much it took in. */
    const refused = (head: string) =>
      new Promise<{ answer: string; sent: number }>((resolve) => {
        const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
        const chunked = head.includes('chunked');
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
        let answer = '';
        let sent = 0;
        socket.on('data', (d) => (answer += d.toString()));
        socket.on('error', () => undefined);
        const giveUp = setTimeout(() => socket.destroy(), 5000);
        socket.on('close', () => (clearTimeout(giveUp), resolve({ answer: answer.split('\r\n')[0]!, sent })));
        const pump = () => {
          while (!socket.destroyed && sent < 100 * 1024 * 1024) {
            sent += frame.length;
            if (!socket.write(frame)) return;
          }
        };
        socket.on('drain', pump);
        socket.write(head);
        pump();
      });
    const declared = 'content-length: 104857600\r\n\r\n';
    const cases = [
      ['404', `POST /hooks/nope HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${declared}`],
      ['405', 'PUT /hooks/gh HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n'],
      ['415', `POST /hooks/gh HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\n${declared}`],
      ['404', `POST /nothing-here HTTP/1.1\r\nhost: x\r\n${declared}`],
    ] as const;
    for (const [status, head] of cases) {
      const r = await refused(head);
      expect(r.answer, head).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[Number(status)]}`);
      expect(r.sent, head).toBeLessThan(32 * 1024 * 1024);
    }
    // A small body is drained and the connection kept for the next request.
    const small = await fetch(`${app.url}/hooks/nope`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(small.status).toBe(404);
    expect(small.headers.get('connection')).not.toBe('close');
  });

  it('records nothing from a client that stops half-way through its body, and answers the next request', async () => {
    const body = '{"ref":"refs/heads/main","pad":"' + 'x'.repeat(2000) + '"}';
    const id = crypto.randomUUID();
    const before = await counter('gh', 'body_read_error');
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /hooks/gh HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: push\r\nx-github-delivery: ${id}\r\n` +
        `x-hub-signature-256: ${await sign(GH_SECRET, body)}\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 1000)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect.poll(() => counter('gh', 'body_read_error')).toBe(before + 1);
    expect(await app.hb.store.events.get({ source: 'gh', id })).toBeUndefined();
    expect((await github('{}')).status).toBe(202);
  });

  it('counts every unknown source under one label, whatever the path', async () => {
    for (let i = 0; i < 20; i++) expect((await post(`/hooks/scan-${i}-${crypto.randomUUID()}`, '{}', {})).status).toBe(404);
    const sources = new Set((await app.hb.metrics.inbound.get()).values.map((v) => v.labels.source));
    const received = new Set((await app.hb.metrics.received.get()).values.map((v) => v.labels.source));
    const histogram = new Set((await app.hb.metrics.ingestSeconds.get()).values.map((v) => v.labels.source));
    for (const set of [sources, received, histogram]) for (const s of set) expect(['gh', 'pay', 'std', 'am', 'graf', 'unknown']).toContain(s);
  });

  it('refuses a chunked body once it crosses the limit with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/hooks/gh`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' } });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0), req.destroy()));
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(16 * 1024, 0x20));
    });
    expect(status).toBe(413);
  });
});

describe('compressed bodies', () => {
  it('refuses a gzip or deflate body with 415 before reading it, not as a failed signature or a malformed body', async () => {
    const json = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(1000) });
    // A bomb: 64 MiB of JSON in about 64 KB, well under the 64 KB limit once compressed.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"pad":"'), Buffer.alloc(64 * 1024 * 1024, 0x61), Buffer.from('"}')]), { level: 9 });
    const mismatches = await counter('gh', 'auth_mismatch');
    for (const [encoding, body, signed] of [
      ['gzip', gzipSync(json), json],
      ['deflate', deflateSync(json), json],
      ['GZIP', bomb, bomb],
    ] as const) {
      const r = await post('/hooks/gh', body, {
        'content-encoding': encoding,
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', GH_SECRET).update(signed).digest('hex')}`,
      });
      expect(r.status, encoding).toBe(415);
      expect(r.json.error).toMatch(/content-encoding/i);
      expect(r.headers.get('accept-encoding')).toBe('identity');
    }
    expect(await counter('gh', 'auth_mismatch')).toBe(mismatches);
  });

  it('takes an explicit identity encoding', async () => {
    expect((await github('{}', { headers: { 'content-encoding': 'identity' } })).status).toBe(202);
  });
});

describe('timestamped providers', () => {
  const stripeBody = JSON.stringify({ id: 'evt_1', type: 'charge.succeeded', api_version: '2024-06-20', data: { object: { id: 'ch_1' } } });

  it('accepts a Stripe event signed by the stripe library', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: stripeBody, secret: STRIPE_SECRET });
    const r = await post('/hooks/pay', stripeBody, { 'stripe-signature': header });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ id: 'evt_1', type: 'charge.succeeded' });
  });

  it.each([
    ['replayed from an hour ago', -3600],
    ['from ten minutes in the future', 600],
  ])('refuses a Stripe event %s with 401', async (_n, offset) => {
    const header = stripe.webhooks.generateTestHeaderString({
      payload: stripeBody,
      secret: STRIPE_SECRET,
      timestamp: Math.floor(Date.now() / 1000) + offset,
    });
    expect((await post('/hooks/pay', stripeBody, { 'stripe-signature': header })).status).toBe(401);
  });

  it('accepts a Standard Webhooks message and refuses a stale one', async () => {
    const wh = new Webhook(STD_SECRET);
    const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1' } });
    const fresh = new Date();
    const ok = await post('/hooks/std', body, {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(fresh.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_1', fresh, body),
    });
    expect(ok.status).toBe(202);
    const old = new Date(Date.now() - 3600_000);
    const stale = await post('/hooks/std', body, {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_2', old, body),
    });
    expect(stale.status).toBe(401);
  });

  it('takes Alertmanager only with its bearer token', async () => {
    const body = JSON.stringify({ version: '4', groupKey: '{}:{alertname="X"}', status: 'firing', alerts: [{ fingerprint: 'f1', startsAt: '2026-01-01T00:00:00Z', labels: {} }] });
    expect((await post('/hooks/am', body, { authorization: `Bearer ${AM_TOKEN}` })).status).toBe(202);
    const bad = await post('/hooks/am', body, { authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect(bad.text).not.toContain(AM_TOKEN);
  });
});

describe('health and metrics', () => {
  it('serves /healthz, /readyz and Prometheus metrics with outcome labels', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/hookbridge_webhooks_total\{source="gh",outcome="accepted"\} \d+/);
    expect(text).toMatch(/hookbridge_webhooks_total\{source="gh",outcome="auth_mismatch"\} \d+/);
    expect(text).toMatch(/hookbridge_webhooks_received_total\{source="unknown"\} \d+/);
    expect(text).toContain('hookbridge_ingest_duration_seconds_bucket');
  });
});

describe('store failure', () => {
  it('answers 503 when the store cannot record, and /readyz says so', async () => {
    const down = await startHookbridge(configFrom(yaml));
    await down.hb.store.close();
    const body = '{}';
    const r = await fetch(`${down.url}/hooks/gh`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-503', 'x-hub-signature-256': await sign(GH_SECRET, body) },
    });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${down.url}/readyz`)).status).toBe(503);
    await down.close();
  });
});
