import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPayload, schemaFor } from '../../../src/sources/schemas/check-payload.js';
import { payloadSchemas } from '../../../src/sources/schemas/payload-schemas.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: unknown[] }[];
const fixtures = join(import.meta.dirname, '../../fixtures/render');
const typeOf: Record<string, (p: Record<string, unknown>) => string> = {
  gitlab: (p) => (p['object_kind'] === 'build' ? 'job' : String(p['object_kind'])),
  stripe: (p) => String(p['type']),
  alertmanager: (p) => String(p['status']),
};
const fixture = (provider: string, file: string) => JSON.parse(readFileSync(join(fixtures, provider, file), 'utf8')) as Record<string, unknown>;
const example = (name: string) => structuredClone(examples.find((e) => e.name === name)!.examples[0]) as Record<string, Record<string, unknown>>;

describe('payload schemas accept what the providers really send', () => {
  it('every @octokit/webhooks-examples payload passes its GitHub schema', () => {
    for (const def of examples) {
      for (const payload of def.examples) expect(checkPayload('github', def.name, payload), def.name).toEqual({ ok: true });
    }
  });

  for (const provider of Object.keys(typeOf)) {
    it(`every ${provider} fixture passes`, () => {
      for (const file of readdirSync(join(fixtures, provider))) {
        const payload = fixture(provider, file);
        expect(checkPayload(provider, typeOf[provider]!(payload), payload), file).toEqual({ ok: true });
      }
    });
  }

  it('covers the event types the built-in templates render', () => {
    const templates = join(import.meta.dirname, '../../../templates');
    for (const provider of Object.keys(payloadSchemas)) {
      for (const file of readdirSync(join(templates, provider))) {
        const type = file.replace(/\.hbs$/, '');
        if (type !== 'default') expect(Object.keys(payloadSchemas[provider]!), `${provider}/${type}`).toContain(type);
      }
      expect(payloadSchemas[provider]!['*'], `${provider} fallback`).toBeDefined();
    }
  });
});

describe('checkPayload names what is missing', () => {
  it('a removed field', () => {
    const run = example('workflow_run');
    delete run['workflow_run']!['conclusion'];
    expect(checkPayload('github', 'workflow_run', run)).toEqual({ ok: false, missing: ['workflow_run.conclusion'] });
  });

  it('a renamed field (the old name is missing; the new one is ignored)', () => {
    const run = example('workflow_run');
    run['workflow_run']!['html_link'] = run['workflow_run']!['html_url'];
    delete run['workflow_run']!['html_url'];
    expect(checkPayload('github', 'workflow_run', run)).toEqual({ ok: false, missing: ['workflow_run.html_url'] });
  });

  it('a retyped field (unusable as the template expects it)', () => {
    const run = example('workflow_run');
    run['workflow_run']!['id'] = 'run-one';
    run['repository'] = 'acme/app' as never;
    expect(checkPayload('github', 'workflow_run', run)).toEqual({ ok: false, missing: ['workflow_run.id', 'repository'] });
  });

  it('a null where a value is needed, but not where the provider sends null itself', () => {
    const run = example('workflow_run');
    run['workflow_run']!['conclusion'] = null;
    expect(checkPayload('github', 'workflow_run', run)).toEqual({ ok: true });
    run['workflow_run']!['head_sha'] = null;
    expect(checkPayload('github', 'workflow_run', run)).toEqual({ ok: false, missing: ['workflow_run.head_sha'] });
  });

  it('nested lists name the item', () => {
    const alerts = fixture('alertmanager', 'firing.json') as { alerts: Record<string, unknown>[] };
    delete alerts.alerts[1]!['labels'];
    expect(checkPayload('alertmanager', 'firing', alerts)).toEqual({ ok: false, missing: ['alerts.1.labels'] });
  });

  it('a payload that is not an object at all', () => {
    expect(checkPayload('stripe', 'charge.succeeded', 'hello')).toEqual({ ok: false, missing: ['payload'] });
    expect(checkPayload('github', 'star', [])).toEqual({ ok: false, missing: ['payload'] });
  });

  it('names at most ten paths', () => {
    const r = checkPayload('github', 'workflow_run', { workflow_run: {}, repository: {} });
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.missing.length).toBeLessThanOrEqual(10);
  });
});

describe('schemaFor', () => {
  it('looks up the event type, then its dotted families, then the provider fallback', () => {
    expect(schemaFor('stripe', 'charge.dispute.created')).toBe(payloadSchemas['stripe']!['charge.dispute']);
    expect(schemaFor('stripe', 'charge.succeeded')).toBe(payloadSchemas['stripe']!['charge']);
    expect(schemaFor('stripe', 'customer.created')).toBe(payloadSchemas['stripe']!['*']);
    expect(schemaFor('github', 'star')).toBe(payloadSchemas['github']!['*']);
    expect(schemaFor('alertmanager', 'resolved')).toBe(payloadSchemas['alertmanager']!['*']);
  });

  it('returns the same compiled schema every time, and nothing for providers without schemas', () => {
    expect(schemaFor('github', 'workflow_run')).toBe(schemaFor('github', 'workflow_run'));
    expect(schemaFor('generic', 'anything')).toBeUndefined();
    expect(checkPayload('generic', 'anything', 'not even an object')).toEqual({ ok: true });
  });
});
