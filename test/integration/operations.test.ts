import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeliveryJob } from '../../src/delivery/job.js';
import { createLogger } from '../../src/lib/log.js';
import type { Platform } from '../../src/render/message.js';
import { renderJob } from '../../src/render/render-job.js';
import { payloadSchemas } from '../../src/sources/schemas/payload-schemas.js';
import { checkPayload, schemaFor } from '../../src/sources/schemas/check-payload.js';
import type { StoredEvent } from '../../src/store/types.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const SECRET = 'ops-webhook-secret-7f3a9c';
const NOTE = 'payload did not match the expected shape';
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];
const workflowRun = () => structuredClone(examples.find((e) => e.name === 'workflow_run')!.examples[0]!) as { workflow_run: Record<string, unknown> };

let slack: FakeSlack;
let app: RunningHookbridge;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  slack = await FakeSlack.start();
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  app = await startHookbridge(
    configFrom(`
store: { url: "memory://" }
delivery: { attempts: 3, backoff: { min: 20ms, max: 50ms }, timeout: 2s, pace: { slack: "off" } }
slack: { token: xoxb-ops-test, apiUrl: "${slack.url}" }
alerts: { to: ["slack:#ops"] }
sources:
  gh: { type: github, secret: ${SECRET} }
  rotated: { type: github, secret: ${SECRET} }
routes:
  - name: ci
    match: { source: gh, event: workflow_run }
    to: ["slack:#ci"]
`),
    { log: createLogger({ level: 'info', destination }) },
  );
});
afterAll(async () => {
  await app.close();
  await slack.close();
});

async function deliver(payload: unknown, o: { source?: string; secret?: string; expect?: number } = {}): Promise<string> {
  const body = JSON.stringify(payload);
  const id = crypto.randomUUID();
  const res = await fetch(`${app.url}/hooks/${o.source ?? 'gh'}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': id, 'x-hub-signature-256': await sign(o.secret ?? SECRET, body) },
  });
  expect(res.status).toBe(o.expect ?? 202);
  return id;
}

function run(id: number, conclusion: string | null = 'failure') {
  const p = workflowRun();
  Object.assign(p.workflow_run, { id, conclusion, status: conclusion ? 'completed' : 'in_progress' });
  return p;
}

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const posts = (channel: string) => slack.calls('chat.postMessage').filter((b) => b.channel === channel);
const scrape = async () => (await fetch(`${app.url}/metrics`)).text();

/** The value of one sample in Prometheus text, matching the given labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}
const ci = { platform: 'slack', target: 'slack:#ci' };

describe('operations: metrics, log correlation, ops notices', () => {
  it('counts a post, an update and their latency; the logs follow the event by its id', async () => {
    const first = await deliver(run(880001, null));
    await until(() => posts('#ci').length === 1);
    await deliver(run(880001, 'success'));
    await until(() => slack.calls('chat.update').length === 1);
    await until(() => logLines.filter((l) => l['msg'] === 'delivered').length === 2);
    const text = await scrape();
    expect(sample(text, 'hookbridge_delivery_posts_total', ci)).toBe(1);
    expect(sample(text, 'hookbridge_delivery_updates_total', ci)).toBe(1);
    expect(sample(text, 'hookbridge_delivery_latency_seconds_count', { platform: 'slack' })).toBe(2);
    expect(sample(text, 'hookbridge_queue_jobs', { state: 'waiting' })).toBe(0);

    const life = logLines.filter((l) => l['eventId'] === first).map((l) => l['msg']);
    expect(life).toEqual(expect.arrayContaining(['webhook', 'delivered']));
    const delivered = logLines.find((l) => l['eventId'] === first && l['msg'] === 'delivered')!;
    expect(delivered).toMatchObject({ source: 'gh', route: 'ci', target: 'slack:#ci' });
    expect(delivered['job']).toEqual(expect.any(String));
  });

  it('counts retries and failures by reason, and the 429 on its own', async () => {
    slack.failNext(1, 'rate_limit', { method: 'chat.postMessage', retryAfterSec: 1 });
    slack.failNext(1, 'server_error', { method: 'chat.postMessage' });
    const before = posts('#ci').length;
    await deliver(run(880002));
    await until(() => posts('#ci').length === before + 3);
    const text = await scrape();
    expect(sample(text, 'hookbridge_delivery_failures_total', { ...ci, reason: 'rate_limited' })).toBe(1);
    expect(sample(text, 'hookbridge_delivery_failures_total', { ...ci, reason: 'server_error' })).toBe(1);
    expect(sample(text, 'hookbridge_delivery_retries_total', ci)).toBe(2);
    expect(sample(text, 'hookbridge_chat_rate_limited_total', ci)).toBe(1);
  });

  it('a dead letter is counted, shows in the queue gauge, and posts one ops notice (once per source)', async () => {
    slack.failNext(3, 'server_error', { method: 'chat.postMessage' });
    const dead = await deliver(run(880003));
    await until(() => posts('#ops').length === 1);
    const notice = JSON.stringify(posts('#ops')[0]);
    for (const part of [dead, 'gh', 'slack:#ci', 'server_error']) expect(notice).toContain(part);
    expect(notice).not.toContain(SECRET);
    expect(notice).not.toContain('xoxb-ops-test');

    // A second dead letter of the same source within the quiet period: counted, not announced.
    slack.failNext(3, 'server_error', { method: 'chat.postMessage' });
    await deliver(run(880004));
    await until(() => logLines.filter((l) => l['msg'] === 'delivery failed; moved to dead letters').length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(posts('#ops')).toHaveLength(1);
    const text = await scrape();
    expect(sample(text, 'hookbridge_delivery_dead_letters_total', ci)).toBe(2);
    expect(sample(text, 'hookbridge_queue_jobs', { state: 'dead' })).toBe(2);
    expect(logLines.filter((l) => l['eventId'] === dead).map((l) => l['msg'])).toContain('delivery failed; moved to dead letters');
  });

  it('a burst of 401s on one source posts one notice, without the secret', async () => {
    const before = posts('#ops').length;
    for (let i = 0; i < 12; i++) await deliver(run(880100 + i), { source: 'rotated', secret: 'the-old-secret', expect: 401 });
    await until(() => posts('#ops').length === before + 1);
    for (let i = 0; i < 10; i++) await deliver(run(880200 + i), { source: 'rotated', secret: 'the-old-secret', expect: 401 });
    await new Promise((r) => setTimeout(r, 200));
    expect(posts('#ops')).toHaveLength(before + 1);
    const notice = JSON.stringify(posts('#ops').at(-1));
    expect(notice).toContain('rotated');
    expect(notice).not.toContain(SECRET);
    expect(notice).not.toContain('the-old-secret');
  });

  it('a payload missing a field its template needs is still accepted, and posted with the default template and a note', async () => {
    const p = run(880005);
    delete p.workflow_run['conclusion'];
    const id = await deliver(p);
    await until(() => posts('#ci').some((b) => JSON.stringify(b).includes(NOTE)));
    const post = JSON.stringify(posts('#ci').at(-1));
    expect(post).toContain('missing workflow_run.conclusion');
    const warning = logLines.find((l) => l['eventId'] === id && String(l['msg']).startsWith(NOTE));
    expect(warning?.['missing']).toEqual(['workflow_run.conclusion']);
  });
});

/** Dotted paths of every field a schema requires, down through objects (lists count as one field). */
function requiredPaths(schema: z.ZodType, prefix = ''): string[] {
  const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return prefix ? [prefix] : [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const below = requiredPaths(child, path);
    return below.length ? [path, ...below.filter((p) => p !== path)] : [path];
  });
}

type Mutation = 'removed' | 'renamed' | 'retyped';
function mutate(payload: unknown, path: string, how: Mutation): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
  const value = parent[last];
  delete parent[last];
  if (how === 'renamed') parent[`${last}_v2`] = value;
  if (how === 'retyped') parent[last] = typeof value === 'string' ? 42 : typeof value === 'number' ? 'forty-two' : value === null ? 7 : 'text';
  return copy;
}

function cases(): { provider: string; type: string; file: string; payload: unknown }[] {
  const out: { provider: string; type: string; file: string; payload: unknown }[] = [];
  for (const type of Object.keys(payloadSchemas['github']!).filter((t) => t !== '*')) {
    examples.find((e) => e.name === type)!.examples.slice(0, 2).forEach((payload, i) => out.push({ provider: 'github', type, file: `octokit ${type}[${i}]`, payload }));
  }
  const fixtures = join(import.meta.dirname, '../fixtures/render');
  const typeOf: Record<string, (p: Record<string, unknown>) => string> = {
    gitlab: (p) => (p['object_kind'] === 'build' ? 'job' : String(p['object_kind'])),
    stripe: (p) => String(p['type']),
    alertmanager: (p) => String(p['status']),
  };
  for (const provider of Object.keys(typeOf)) {
    for (const file of readdirSync(join(fixtures, provider))) {
      const payload = JSON.parse(readFileSync(join(fixtures, provider, file), 'utf8')) as Record<string, unknown>;
      out.push({ provider, type: typeOf[provider]!(payload), file: `${provider}/${file}`, payload });
    }
  }
  return out;
}

describe('every built-in template survives payloads with fields removed, renamed and retyped', () => {
  const platforms: Platform[] = ['slack', 'discord', 'console'];
  const now = new Date('2024-05-01T12:00:00Z');
  const job: DeliveryJob = { v: 1, event: { source: 'src', id: 'evt-1' }, route: 'r', target: 'slack:#x', actions: ['ack', 'retry'] };

  for (const c of cases()) {
    it(c.file, () => {
      const warnings: object[] = [];
      const renderer = app.hb.renderer();
      const provider = c.provider;
      const render = renderJob(() => renderer, () => provider, () => now, { log: { warn: (obj) => warnings.push(obj) } });
      const paths = requiredPaths(schemaFor(provider, c.type)!);
      expect(paths.length, 'the schema names fields').toBeGreaterThan(0);
      for (const path of paths) {
        for (const how of ['removed', 'renamed', 'retyped'] as const) {
          const payload = mutate(c.payload, path, how);
          const label = `${path} ${how}`;
          expect(checkPayload(provider, c.type, payload).ok, label).toBe(false);
          const event: StoredEvent = { source: 'src', id: 'evt-1', type: c.type, receivedAt: now.toISOString(), headers: {}, payload };
          for (const platform of platforms) {
            const msg = render(event, job, platform);
            expect(msg.title.trim(), `${label} on ${platform}`).not.toBe('');
            expect(msg.text ?? '', `${label} on ${platform}`).toContain('payload did not match the expected shape');
            // The event's own template on the same payload (what a user override without a schema meets) never throws either.
            const own = renderer.render({ provider, event, payload, platform, actions: [], now });
            expect(own.title.trim(), `${label} own template on ${platform}`).not.toBe('');
          }
        }
      }
      expect(warnings.length).toBeGreaterThan(0);
    });
  }

  it('a template asking for a field the payload lacks shows the placeholder', () => {
    const p = workflowRun();
    p.workflow_run['head_branch'] = null;
    delete p.workflow_run['conclusion'];
    const event: StoredEvent = { source: 'src', id: 'evt-1', type: 'workflow_run', receivedAt: now.toISOString(), headers: {}, payload: p };
    const msg = app.hb.renderer().render({ provider: 'github', event, payload: p, platform: 'slack', actions: [], now });
    expect(msg.fields.find((f) => f.name === 'Branch')?.value).toBe('—');
  });
});
