import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER } from '../../../src/render/limits.js';
import type { Platform, Severity } from '../../../src/render/message.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { parseJson } from '../../../src/sources/parse-json.js';
import { findSourceType } from '../../../src/sources/registry.js';
import { rawRequest } from './raw-request.js';

const builtinDir = fileURLToPath(new URL('../../../templates', import.meta.url));
const fixtureFile = (provider: string, file: string) => readFileSync(new URL(`../../fixtures/sources/${provider}/${file}`, import.meta.url));
const now = new Date('2026-03-01T12:05:00Z');

/** A minimal config per type, for `describe` (only Freshdesk reads it). */
const entries: Record<string, Record<string, unknown>> = { grafana: { token: 't' }, datadog: { token: 't' }, opsgenie: { token: 't' }, newrelic: { token: 't' }, freshdesk: { token: 't' } };

interface Case {
  provider: string;
  file: string;
  headers?: Record<string, string>;
  template: string;
  severity: Severity;
  title: RegExp;
  /** Text that must appear in the body or a field on every platform. */
  shows: string[];
}

const cases: Case[] = [
  { provider: 'grafana', file: 'firing.json', template: 'grafana/default', severity: 'critical', title: /^\[FIRING:2\] HighLatency · Checkout$/, shows: ['912.4', 'viewPanel=4', 'silence', 'checkout-api'] },
  { provider: 'grafana', file: 'resolved.json', template: 'grafana/default', severity: 'success', title: /^\[RESOLVED\] HighLatency · Checkout$/, shows: ['resolved after 12m', '402.7'] },
  { provider: 'pagerduty', file: 'incident.triggered.json', template: 'pagerduty/incident', severity: 'critical', title: /^#2187 triggered: Checkout API p99 latency above 800 ms – café-eu$/, shows: ['Checkout API', 'P1', 'Ana Lima'] },
  { provider: 'pagerduty', file: 'incident.acknowledged.json', template: 'pagerduty/incident', severity: 'warning', title: /^#2187 acknowledged: /, shows: ['acknowledged by Ana Lima'] },
  { provider: 'pagerduty', file: 'incident.resolved.json', template: 'pagerduty/incident', severity: 'success', title: /^#2187 resolved: /, shows: ['Checkout on-call'] },
  { provider: 'pagerduty', file: 'incident.annotated.json', template: 'pagerduty/incident', severity: 'info', title: /^annotated: Checkout API p99 latency above 800 ms – café-eu$/, shows: ['Rolling back checkout-api', 'Ana Lima'] },
  { provider: 'sentry', file: 'issue.created.json', headers: { 'sentry-hook-resource': 'issue' }, template: 'sentry/issue', severity: 'error', title: /^CHECKOUT-API-3F created: TypeError: Cannot read properties of null \(reading 'café'\)$/, shows: ['checkout-api', 'handlePayment', '3'] },
  { provider: 'sentry', file: 'event_alert.triggered.json', headers: { 'sentry-hook-resource': 'event_alert' }, template: 'sentry/event_alert', severity: 'error', title: /^New error in checkout – page on-call: TypeError/, shows: ['production', 'checkout-api@2.14.0'] },
  { provider: 'sentry', file: 'metric_alert.critical.json', headers: { 'sentry-hook-resource': 'metric_alert' }, template: 'sentry/metric_alert', severity: 'critical', title: /^Critical: Checkout error rate$/, shows: ['2.4% crash free rate', 'production'] },
  { provider: 'datadog', file: 'triggered.json', template: 'datadog/default', severity: 'error', title: /^\[Triggered on \{host:checkout-1\}\] Checkout API error rate above 5%$/, shows: ['checkout-1', 'service:checkout-api', 'Error rate is 7.2%'] },
  { provider: 'datadog', file: 'recovered.json', template: 'datadog/default', severity: 'success', title: /^\[Recovered on /, shows: ['Recovered'] },
  { provider: 'opsgenie', file: 'create.json', template: 'opsgenie/alert', severity: 'critical', title: /^\[CREATE\] Checkout API error rate above 5% \(#1791\)$/, shows: ['P1', 'checkout-api', 'Payments', 'Error rate is 7.2%'] },
  { provider: 'opsgenie', file: 'acknowledge.json', template: 'opsgenie/alert', severity: 'warning', title: /^\[ACKNOWLEDGE\] /, shows: ['ana.lima@example.com'] },
  { provider: 'opsgenie', file: 'close.json', template: 'opsgenie/alert', severity: 'success', title: /^\[CLOSE\] /, shows: ['P1'] },
  { provider: 'newrelic', file: 'activated.json', template: 'newrelic/default', severity: 'critical', title: /^\[ACTIVATED\] Checkout API: error rate > 5% for at least 5 minutes$/, shows: ['CRITICAL', 'checkout-api (production)', 'Error rate > 5%'] },
  { provider: 'newrelic', file: 'closed.json', template: 'newrelic/default', severity: 'success', title: /^\[CLOSED\] /, shows: ['Open for 14m'] },
  { provider: 'zendesk', file: 'ticket.status_changed.json', template: 'zendesk/default', severity: 'error', title: /^Ticket #5158 new → open: Commande #4521 – remboursement non reçu$/, shows: ['urgent', 'billing', 'email'] },
  { provider: 'zendesk', file: 'trigger.json', template: 'zendesk/default', severity: 'warning', title: /^Ticket #5160 new: Cannot log in after password reset$/, shows: ['High', 'Jo Park', 'invalid credentials'] },
  { provider: 'intercom', file: 'conversation.user.created.json', template: 'intercom/default', severity: 'warning', title: /^created · conversation 2891 from Marta Nowak$/, shows: ['open', 'billing', 'wrong VAT number'] },
  { provider: 'helpscout', file: 'convo.created.json', headers: { 'x-helpscout-event': 'convo.created' }, template: 'helpscout/default', severity: 'info', title: /^#48213 created: Refund for order #4521$/, shows: ['active', 'Jo Park', 'Ana Lima', 'charged twice'] },
  { provider: 'front', file: 'inbound.json', template: 'front/default', severity: 'info', title: /^inbound: Wrong VAT number on invoice INV-2026-0311$/, shows: ['finance@client.example', 'Billing', 'old VAT number'] },
  { provider: 'front', file: 'app-inbound_received.json', template: 'front/default', severity: 'info', title: /^inbound: Wrong VAT number/, shows: ['finance@client.example'] },
  { provider: 'linear', file: 'Issue.create.json', headers: { 'linear-delivery': 'd-1' }, template: 'linear/Issue', severity: 'error', title: /^PAY-128 created: Checkout fails for EU cards – 3DS step loops$/, shows: ['Urgent', 'Ana Lima', 'Payments', 'Bug', 'Todo'] },
  { provider: 'linear', file: 'Comment.create.json', headers: { 'linear-delivery': 'd-2' }, template: 'linear/Comment', severity: 'info', title: /^Jo Park commented on PAY-128: Checkout fails for EU cards/, shows: ['test card ending 3184'] },
  { provider: 'jira', file: 'jira-issue_updated.json', template: 'jira/default', severity: 'warning', title: /^PAY-42 in progress: Refunds stuck in <pending> for SEPA payments$/, shows: ['In Progress', 'High', 'Bug', 'To Do → In Progress'] },
  { provider: 'jira', file: 'comment_created.json', template: 'jira/default', severity: 'info', title: /^PAY-42 comment by Jo Park: Refunds stuck in <pending>/, shows: ['AC04'] },
  { provider: 'freshdesk', file: 'ticket.json', template: 'freshdesk/default', severity: 'error', title: /^Ticket #1234 open: Invoice shows the wrong company name$/, shows: ['Urgent', 'Jo Park', 'Billing', 'old company name'] },
];

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ builtinDir });
});

describe('built-in templates of the providers added in "Providers II"', () => {
  it('compile without problems, and each provider has a default', () => {
    const ours = new Set(cases.map((c) => c.provider));
    expect(renderer.check().filter((p) => ours.has(p.file?.split(/[\\/]templates[\\/]/)[1]?.split(/[\\/]/)[0] ?? ''))).toEqual([]);
    for (const provider of ours) expect(renderer.has(`${provider}/default`), provider).toBe(true);
  });

  describe.each(cases)('$provider $file', ({ provider, file, headers, template, severity, title, shows }) => {
    const source = findSourceType(provider)!;
    const req = rawRequest(fixtureFile(provider, file), headers ?? {});
    const payload = parseJson(req);
    const facts = source.describe(req, payload, source.config.parse({ type: provider, ...(entries[provider] ?? { secret: 's' }) }));
    const event = { source: provider, id: facts.id, type: facts.type, receivedAt: now.toISOString(), ...(facts.version && { version: facts.version }) };

    it(`uses ${template}`, () => expect(renderer.resolve({ provider, event })).toBe(template));

    it.each<Platform>(['slack', 'discord', 'console'])('renders on %s with the title, colour and main fields', (platform) => {
      const m = renderer.render({ provider, event, payload, platform, actions: [], now });
      if (platform === 'console') expect(m.title).toMatch(title);
      expect(m.title).not.toContain(PLACEHOLDER);
      expect(m.title).not.toMatch(/undefined|\[object/);
      expect(m.severity).toBe(severity);
      expect(m.text ?? '').not.toMatch(/⚠ Template|undefined|\[object/);
      expect(m.fields.length).toBeGreaterThan(0);
      for (const f of m.fields) expect(f.value, `${f.name} on ${platform}`).not.toBe(PLACEHOLDER);
      expect(m.footer).toBeTruthy();
      if (platform === 'console') {
        const all = [m.title, m.text ?? '', ...m.fields.map((f) => `${f.name}: ${f.value}`), m.url ?? ''].join('\n');
        for (const s of shows) expect(all, `${s} on ${platform}`).toContain(s);
      }
    });
  });
});
