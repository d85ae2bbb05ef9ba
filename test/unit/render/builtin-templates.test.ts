import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { toDiscordMessage } from '../../../src/chat/discord-payload.js';
import { toSlackMessage } from '../../../src/chat/slack-blocks.js';
import type { MessageAction, Platform } from '../../../src/render/message.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { expectDiscordWithinLimits, expectSlackWithinLimits } from './limits-check.js';

// The package is a JSON file with a CommonJS-style declaration; require reads it as the array it is.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: unknown[] }[];
const root = join(import.meta.dirname, '../../..');
const fixtures = join(root, 'test/fixtures/render');
const platforms: Platform[] = ['slack', 'discord', 'console'];
const now = new Date('2024-05-01T12:30:00Z');
const actions: MessageAction[] = [
  { action: 'ack', label: 'Ack', id: 'ack:gh:123', style: 'primary' },
  { action: 'retry', label: 'Retry', id: 'retry:gh:123' },
  { action: 'mute', label: 'Mute 1h', id: 'mute:gh:123', style: 'danger' },
];

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ builtinDir: join(root, 'templates') });
});

function renderAll(provider: string, type: string, payload: unknown, version?: string) {
  return platforms.map((platform) => {
    const event = { source: 'src', id: 'evt-1', type, receivedAt: now.toISOString(), ...(version && { version }) };
    const msg = renderer.render({ provider, event, payload, platform, actions, now });
    expect(msg.title.trim().length, `${provider}/${type} on ${platform}`).toBeGreaterThan(0);
    expect(msg.text ?? '').not.toContain('⚠ Template');
    if (platform === 'slack') expectSlackWithinLimits(toSlackMessage(msg));
    if (platform === 'discord') expectDiscordWithinLimits(toDiscordMessage(msg));
    return msg;
  });
}

describe('built-in templates', () => {
  it('all compile with no problems', () => {
    expect(renderer.check()).toEqual([]);
  });

  describe('GitHub: every @octokit/webhooks-examples payload', () => {
    for (const def of examples) {
      it(`${def.name} (${def.examples.length} examples)`, () => {
        for (const payload of def.examples) renderAll('github', def.name, payload);
      });
    }
  });

  it('uses the event template for the shipped GitHub events and the provider default otherwise', () => {
    const own = ['workflow_run', 'workflow_job', 'check_run', 'check_suite', 'push', 'pull_request', 'pull_request_review', 'issues', 'issue_comment', 'release', 'deployment_status'];
    for (const type of own) expect(renderer.resolve({ provider: 'github', event: { source: 's', id: 'i', type, receivedAt: '' } })).toBe(`github/${type}`);
    expect(renderer.resolve({ provider: 'github', event: { source: 's', id: 'i', type: 'star', receivedAt: '' } })).toBe('github/default');
  });

  const typeOf: Record<string, (p: Record<string, unknown>) => string> = {
    gitlab: (p) => (p['object_kind'] === 'build' ? 'job' : String(p['object_kind'])),
    stripe: (p) => String(p['type']),
    alertmanager: (p) => String(p['status']),
  };
  for (const provider of Object.keys(typeOf)) {
    describe(`${provider} fixtures`, () => {
      for (const file of readdirSync(join(fixtures, provider))) {
        it(file, () => {
          const payload = JSON.parse(readFileSync(join(fixtures, provider, file), 'utf8')) as Record<string, unknown>;
          renderAll(provider, typeOf[provider]!(payload), payload);
        });
      }
    });
  }

  it('Stripe: the charge.dispute family wins over charge, amounts carry their currency', () => {
    const payload = JSON.parse(readFileSync(join(fixtures, 'stripe/charge.dispute.created.json'), 'utf8'));
    expect(renderer.resolve({ provider: 'stripe', event: { source: 's', id: 'i', type: 'charge.dispute.created', receivedAt: '' } })).toBe('stripe/charge.dispute');
    const [slack] = renderAll('stripe', 'charge.dispute.created', payload);
    expect(slack!.title).toContain('$10.00');
    expect(slack!.severity).toBe('warning');
    const jpy = JSON.parse(readFileSync(join(fixtures, 'stripe/payment_intent.payment_failed.json'), 'utf8'));
    expect(renderAll('stripe', 'payment_intent.payment_failed', jpy)[2]!.title).toContain('¥150,000');
  });

  it('Alertmanager: firing alerts list each alert with its labels; severity label sets the colour', () => {
    const firing = JSON.parse(readFileSync(join(fixtures, 'alertmanager/firing.json'), 'utf8'));
    const [, , console] = renderAll('alertmanager', 'firing', firing, '4');
    expect(console!.severity).toBe('critical');
    expect(console!.title).toBe('[FIRING:2] HighErrorRate · prod');
    expect(console!.text).toContain('5xx rate above 5% on api-2:8080');
    expect(console!.text).toContain('instance=api-1:8080');
    expect(console!.text).toContain('source (http://prometheus.example.com:9090/graph');
    expect(console!.fields.find((f) => f.name === 'Alerts')?.value).toBe('2 alerts');
    const resolved = JSON.parse(readFileSync(join(fixtures, 'alertmanager/resolved.json'), 'utf8'));
    expect(renderAll('alertmanager', 'resolved', resolved)[0]!.severity).toBe('success');
  });

  it('GitLab: a failed job is an error with its reason', () => {
    const job = JSON.parse(readFileSync(join(fixtures, 'gitlab/job.json'), 'utf8'));
    const [, , msg] = renderAll('gitlab', 'job', job);
    expect(msg!.severity).toBe('error');
    expect(msg!.fields).toContainEqual({ name: 'Reason', value: 'script failure', inline: true });
  });

  it('standard and generic defaults list the event type and top-level fields', () => {
    for (const provider of ['standard', 'generic']) {
      const [, , msg] = renderAll(provider, 'invoice.created', { type: 'invoice.created', data: { id: 'x' }, n: 3 });
      expect(msg!.title).toContain('invoice.created');
      expect(msg!.text).toContain('n: 3');
    }
  });
});
