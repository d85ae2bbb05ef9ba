import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateCandidates } from '../../../src/render/lookup.js';
import type { Platform } from '../../../src/render/message.js';
import { createRenderer } from '../../../src/render/renderer.js';

async function dir(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'hb-templates-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const now = new Date('2024-05-01T12:00:00Z');
const input = (type: string, o: { provider?: string; version?: string; template?: string; platform?: Platform; payload?: unknown } = {}) => ({
  provider: o.provider ?? 'stripe',
  event: { source: 'pay', id: 'evt_1', type, receivedAt: now.toISOString(), ...(o.version && { version: o.version }) },
  payload: o.payload ?? {},
  ...(o.template && { template: o.template }),
  platform: o.platform ?? 'console',
  actions: [],
  now,
});

describe('template lookup', () => {
  it('orders candidates: route template, type, families, provider default, global default; versions first', () => {
    expect(templateCandidates({ provider: 'stripe', type: 'charge.dispute.created', version: '2024', template: 'x/y' })).toEqual([
      'x/y@2024', 'x/y',
      'stripe/charge.dispute.created@2024', 'stripe/charge.dispute.created',
      'stripe/charge.dispute@2024', 'stripe/charge.dispute',
      'stripe/charge@2024', 'stripe/charge',
      'stripe/default@2024', 'stripe/default',
      'default',
    ]);
    expect(templateCandidates({ provider: 'gh', type: '../../etc' })).not.toContain('gh/../../etc');
  });

  it('resolves exact, family, provider default and global default; user files override by path', async () => {
    const builtin = await dir({
      'default.hbs': '{{#title}}global{{/title}}',
      'stripe/default.hbs': '{{#title}}stripe default{{/title}}',
      'stripe/charge.hbs': '{{#title}}charge{{/title}}',
      'stripe/charge.dispute.hbs': '{{#title}}dispute{{/title}}',
      'stripe/charge.succeeded.hbs': '{{#title}}exact{{/title}}',
      'stripe/charge.succeeded@2025.hbs': '{{#title}}exact v2025{{/title}}',
    });
    const user = await dir({ 'stripe/charge.hbs': '{{#title}}user charge{{/title}}', 'gh/run.hbs': '{{#title}}named{{/title}}' });
    const r = await createRenderer({ builtinDir: builtin, userDir: user });
    const title = (...a: Parameters<typeof input>) => r.render(input(...a)).title;
    expect(title('charge.succeeded')).toBe('exact');
    expect(title('charge.succeeded', { version: '2025' })).toBe('exact v2025');
    expect(title('charge.succeeded', { version: '1999' })).toBe('exact');
    expect(title('charge.refunded')).toBe('user charge');
    expect(title('charge.dispute.closed')).toBe('dispute');
    expect(title('payout.paid')).toBe('stripe default');
    expect(title('x', { provider: 'other' })).toBe('global');
    expect(title('charge.refunded', { template: 'gh/run' })).toBe('named');
    expect(title('charge.refunded', { template: 'gh/missing' })).toBe('user charge');
    expect(r.has('gh/run')).toBe(true);
  });
});

describe('renderer', () => {
  it('builds the message: trimmed body with blank lines collapsed, actions, timestamp, fallback', async () => {
    const r = await createRenderer({ builtinDir: await dir({ 'default.hbs': '\n\n{{#title}} A  & B {{/title}}\nline 1   \n\n\n\nline 2\n\n' }) });
    const actions = [{ action: 'ack' as const, label: 'Ack', id: 'ack:1' }];
    const msg = r.render({ ...input('t', { platform: 'slack' }), actions });
    expect(msg).toMatchObject({ title: 'A & B', text: 'line 1\n\nline 2', severity: 'neutral', actions, timestamp: now.toISOString(), fallback: 'A & B' });
  });

  it('gives a template without a title one, escaped for the platform', async () => {
    const r = await createRenderer({ builtinDir: await dir({ 'default.hbs': 'body' }) });
    expect(r.render(input('a_b', { provider: 'x', platform: 'discord' })).title).toBe('x a\\_b');
  });

  it('falls back to the global default with a visible note when a template fails at runtime', async () => {
    const r = await createRenderer({
      builtinDir: await dir({ 'default.hbs': '{{#title}}fallback{{/title}}', 'stripe/charge.hbs': '{{#each x}}{{lookup}}{{/each}}{{#title}}t{{/title}}{{oops}}{{#with a}}{{/with}}{{{{raw}}}}{{{{/raw}}}}' }),
    });
    const msg = r.render(input('charge.failed', { payload: { x: [1] } }));
    expect(msg.title).toBe('fallback');
    expect(msg.text).toMatch(/⚠ Template stripe\/charge failed: /);
  });

  it('never throws, even when the global default itself fails', async () => {
    const r = await createRenderer({ builtinDir: await dir({ 'default.hbs': '{{#each x}}{{lookup}}{{/each}}' }) });
    const msg = r.render(input('thing', { provider: 'p', payload: { x: [1] } }));
    expect(msg.title).toBe('p thing');
    expect(msg.text).toMatch(/⚠ Template default failed/);
  });

  it('renders missing fields as placeholders without throwing', async () => {
    const r = await createRenderer({ builtinDir: await dir({ 'default.hbs': '{{#title}}{{a.b}} {{money a.c a.d}}{{/title}}{{field "X" q.r}}{{time z}} {{link z}}' }) });
    for (const payload of [{}, null, 'str', [1, 2], { a: null }]) {
      const msg = r.render(input('t', { payload }));
      expect(msg.title).toBe('—');
      expect(msg.fields).toEqual([{ name: 'X', value: '—', inline: true }]);
      expect(msg.text).toBe('— —');
    }
  });

  it('reports syntax errors, unknown helpers and partials with file, line and column', async () => {
    const root = await dir({
      'default.hbs': 'ok',
      'a/broken.hbs': 'line one\nline two {{#if x}}\n  {{oops}\n{{/if}}',
      'a/mismatch.hbs': 'x\n {{#if x}}\n y {{/each}}',
      'a/unknown.hbs': 'a\n  {{frobnicate x}}\n{{> header}}',
    });
    const r = await createRenderer({ builtinDir: root });
    const problems = r.check().map((p) => ({ ...p, file: p.file.slice(root.length + 1) }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'a/broken.hbs', line: 3, col: 9 }));
    expect(problems).toContainEqual({ file: 'a/mismatch.hbs', line: 2, col: 5, message: "if doesn't match each" });
    expect(problems).toContainEqual({ file: 'a/unknown.hbs', line: 2, col: 3, message: 'unknown helper "frobnicate"' });
    expect(problems).toContainEqual({ file: 'a/unknown.hbs', line: 3, col: 1, message: 'partials are not supported' });
    // A broken file is skipped by lookup, so its events still render.
    expect(r.render(input('broken', { provider: 'a' })).title).toBe('a broken');
  });
});
