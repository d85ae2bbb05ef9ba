import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../../src/config/load.js';
import { sourceTypes } from '../../../src/sources/registry.js';

const folder = fileURLToPath(new URL('../../../config/examples/', import.meta.url));
const file = (type: string) => `${folder}${type}.yaml`;
/** Every example, one per source type, named after it: a new example is checked without editing this test. */
const types = readdirSync(folder).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));

/** Every `${VAR}` an example reads, each given a value. */
function envFor(type: string): Record<string, string> {
  const names = [...readFileSync(file(type), 'utf8').matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
  // Standard Webhooks secrets have a format of their own: whsec_ and base64.
  const value = (n: string) => (n.startsWith('STANDARD_') ? `whsec_${Buffer.from(n).toString('base64')}` : `${n.toLowerCase()}-value`);
  return Object.fromEntries(names.map((n) => [n, value(n)]));
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

it('has an example for every source type', () => {
  expect(types.sort()).toEqual(sourceTypes.map((t) => t.type).sort());
});
