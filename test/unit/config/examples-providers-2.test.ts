import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../../src/config/load.js';

const types = ['grafana', 'pagerduty', 'sentry', 'datadog', 'opsgenie', 'newrelic', 'zendesk', 'intercom', 'helpscout', 'front', 'linear', 'jira', 'freshdesk'];
const file = (type: string) => fileURLToPath(new URL(`../../../config/examples/${type}.yaml`, import.meta.url));

/** Every `${VAR}` an example reads, each given a value. */
function envFor(type: string): Record<string, string> {
  const names = [...readFileSync(file(type), 'utf8').matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((n) => [n, `${n.toLowerCase()}-value`]));
}

describe.each(types)('config/examples/%s.yaml', (type) => {
  it('loads, with one source of that type and a route to it', async () => {
    const r = await loadConfig(file(type), { env: envFor(type) });
    expect(r.ok ? [] : r.errors.map(formatConfigError)).toEqual([]);
    if (!r.ok) return;
    expect(Object.values(r.config.sources).map((s) => s.type)).toEqual([type]);
    expect(r.config.routes.length).toBeGreaterThan(0);
  });

  it('names each variable it needs when the environment is empty', async () => {
    const r = await loadConfig(file(type), { env: {} });
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.errors.map((e) => e.message);
    for (const name of Object.keys(envFor(type))) expect(messages.join('\n')).toContain(name);
  });
});
