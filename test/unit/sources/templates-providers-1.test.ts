import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER } from '../../../src/render/limits.js';
import type { Platform, Severity } from '../../../src/render/message.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { braintree } from '../../../src/sources/braintree.js';
import { parseJson } from '../../../src/sources/parse-json.js';
import { findSourceType } from '../../../src/sources/registry.js';
import type { RawRequest } from '../../../src/sources/types.js';
import { rawRequest } from './raw-request.js';

const builtinDir = fileURLToPath(new URL('../../../templates', import.meta.url));
const fixtureFile = (provider: string, file: string) => readFileSync(new URL(`../../fixtures/sources/${provider}/${file}`, import.meta.url));
const now = new Date('2026-03-01T12:00:00Z');

/** Wrap a Braintree XML fixture as the form Braintree posts; other fixtures are the body as sent. */
function requestFor(provider: string, file: string, headers: Record<string, string>): RawRequest {
  const body = fixtureFile(provider, file);
  if (provider !== 'braintree') return rawRequest(body, headers);
  const form = new URLSearchParams({ bt_signature: 'pk|x', bt_payload: body.toString('base64') }).toString();
  return rawRequest(form, { 'content-type': 'application/x-www-form-urlencoded' });
}

const cases: { provider: string; file: string; headers?: Record<string, string>; template: string; severity: Severity; title: RegExp }[] = [
  { provider: 'circleci', file: 'workflow-completed.json', template: 'circleci/workflow-completed', severity: 'error', title: /^build-test-deploy failed · webhook-service #130$/ },
  { provider: 'circleci', file: 'job-completed.json', template: 'circleci/job-completed', severity: 'error', title: /unit-tests failed/ },
  { provider: 'buildkite', file: 'build.finished.json', template: 'buildkite/build', severity: 'error', title: /^Webhook Service #1042 failed$/ },
  { provider: 'buildkite', file: 'job.finished.json', template: 'buildkite/job', severity: 'error', title: /Unit tests failed/ },
  { provider: 'bitbucket', file: 'repo-commit_status_updated.json', headers: { 'x-event-key': 'repo:commit_status_updated' }, template: 'bitbucket/default', severity: 'error', title: /^Pipeline #311 for main failed · acme\/webhook-service$/ },
  { provider: 'bitbucket', file: 'pullrequest-created.json', headers: { 'x-event-key': 'pullrequest:created' }, template: 'bitbucket/default', severity: 'info', title: /^PR #57 open: Retry on 5xx/ },
  { provider: 'jenkins', file: 'completed.json', template: 'jenkins/default', severity: 'error', title: /^webhook-service #88 failure$/ },
  { provider: 'jenkins', file: 'started.json', template: 'jenkins/default', severity: 'info', title: /^webhook-service #88 started$/ },
  { provider: 'azure-devops', file: 'build.complete.json', template: 'azure-devops/build', severity: 'error', title: /^ConsumerAddressModule ConsumerAddressModule_20150407\.2 failed$/ },
  { provider: 'azure-devops', file: 'git.pullrequest.created.json', template: 'azure-devops/default', severity: 'info', title: /created a new pull request/ },
  { provider: 'vercel', file: 'deployment.error.json', template: 'vercel/deployment', severity: 'error', title: /^marketing-site: deployment failed to production$/ },
  { provider: 'paddle', file: 'transaction.completed.json', template: 'paddle/transaction', severity: 'success', title: /^Transaction completed: €29\.75$/ },
  { provider: 'paddle', file: 'subscription.canceled.json', template: 'paddle/default', severity: 'warning', title: /subscription\.canceled: canceled/ },
  { provider: 'shopify', file: 'orders-create.json', headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': 'e1' }, template: 'shopify/default', severity: 'success', title: /^Order #9999 · 398\.00 EUR · paid$/ },
  { provider: 'shopify', file: 'refunds-create.json', headers: { 'x-shopify-topic': 'refunds/create', 'x-shopify-event-id': 'e2' }, template: 'shopify/default', severity: 'warning', title: /^Refund on order 450789469 · 199\.00$/ },
  { provider: 'lemonsqueezy', file: 'order_created.json', template: 'lemonsqueezy/default', severity: 'success', title: /^order created: \$9\.99 · Test Limited License/ },
  { provider: 'lemonsqueezy', file: 'subscription_payment_failed.json', template: 'lemonsqueezy/default', severity: 'error', title: /^subscription payment failed: \$15\.00$/ },
  { provider: 'square', file: 'payment.updated.json', template: 'square/payment', severity: 'success', title: /^Payment completed: \$42\.50$/ },
  { provider: 'paypal', file: 'payment.capture.completed.json', template: 'paypal/PAYMENT.CAPTURE', severity: 'success', title: /^Payment completed for \$ 7\.47 USD$/ },
  { provider: 'braintree', file: 'subscription_charged_unsuccessfully.xml', template: 'braintree/default', severity: 'error', title: /^Braintree subscription charged unsuccessfully · pro-monthly sub_8kq2n$/ },
];

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ builtinDir });
});

describe('built-in templates of the providers added in "Providers I"', () => {
  it('compile without problems', () => {
    const ours = new Set(cases.map((c) => c.provider));
    expect(renderer.check().filter((p) => ours.has(p.file?.split(/[\\/]templates[\\/]/)[1]?.split(/[\\/]/)[0] ?? ''))).toEqual([]);
    for (const provider of ours) expect(renderer.has(`${provider}/default`)).toBe(true);
  });

  describe.each(cases)('$provider $file', ({ provider, file, headers, template, severity, title }) => {
    const source = findSourceType(provider)!;
    const req = requestFor(provider, file, headers ?? {});
    const payload = provider === 'braintree' ? braintree.parse!(req, braintree.config.parse({ type: 'braintree', publicKey: 'pk', privateKey: 'sk' })) : parseJson(req);
    const facts = source.describe(req, payload, {});
    const event = { source: provider, id: facts.id, type: facts.type, receivedAt: now.toISOString(), ...(facts.version && { version: facts.version }) };

    it(`uses ${template}`, () => expect(renderer.resolve({ provider, event })).toBe(template));

    it.each<Platform>(['slack', 'discord', 'console'])('renders on %s with every main part filled', (platform) => {
      const m = renderer.render({ provider, event, payload, platform, actions: [], now });
      if (platform === 'console') expect(m.title).toMatch(title);
      expect(m.title).not.toContain(PLACEHOLDER);
      expect(m.title).not.toMatch(/undefined|\[object/);
      expect(m.severity).toBe(severity);
      expect(m.text ?? '').not.toMatch(/⚠ Template|undefined|\[object/);
      expect(m.fields.length).toBeGreaterThan(0);
      for (const f of m.fields) expect(f.value, `${f.name} on ${platform}`).not.toBe(PLACEHOLDER);
      expect(m.footer).toBeTruthy();
    });
  });
});
