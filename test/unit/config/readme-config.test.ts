import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfigText } from '../../../src/config/load.js';

/** The configuration reference in the README is a real config: it must load as documented. */
describe('README configuration reference', () => {
  it('loads with its variables set', async () => {
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const env = Object.fromEntries([...yaml!.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => [m[1], 'set-in-test']));
    env.DISCORD_PUBLIC_KEY = 'a'.repeat(64);
    // The TLS files do not exist here; everything else is checked as written.
    const r = loadConfigText(yaml!, '/etc/hookbridge/hookbridge.yaml', { env });
    expect(r.ok ? [] : r.errors.map(formatConfigError)).toEqual([]);
  });
});
