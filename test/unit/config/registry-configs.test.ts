import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../../src/config/load.js';
import { findSourceType } from '../../../src/sources/registry.js';

const example = fileURLToPath(new URL('../../../config/hookbridge.yaml', import.meta.url));
const design = fileURLToPath(new URL('./design-example.yaml', import.meta.url));

/** Types these files use; a test is skipped, saying which, while any is not registered yet. */
const missing = (types: string[]) => types.filter((t) => !findSourceType(t));
const exampleTypes = missing(['github', 'gitlab', 'stripe', 'alertmanager', 'standard', 'generic']);
const designTypes = missing(['github', 'gitlab', 'stripe', 'alertmanager', 'generic']);

const designEnv = {
  GITHUB_WEBHOOK_SECRET: 'gh-secret',
  GITHUB_TOKEN: 'ghp_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  GITLAB_WEBHOOK_TOKEN: 'gl-token',
  GITLAB_TOKEN: 'glpat-x',
  ALERTMANAGER_TOKEN: 'am-token',
  CUSTOM_SECRET: 'custom',
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'signing',
  DISCORD_BOT_TOKEN: 'discord',
  DISCORD_APPLICATION_ID: '1234',
  DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
};

describe('shipped configurations against the registered source types', () => {
  it.skipIf(exampleTypes.length > 0)(`config/hookbridge.yaml loads with no environment${exampleTypes.length ? ` (skipped: ${exampleTypes.join(', ')} not registered)` : ''}`, async () => {
    const r = await loadConfig(example, { env: {} });
    expect(r.ok ? [] : r.errors.map(formatConfigError)).toEqual([]);
    if (!r.ok) return;
    expect(Object.keys(r.config.sources)).toEqual(['gh', 'gl', 'payments', 'alerts', 'std', 'custom']);
    expect(r.config.routes.flatMap((route) => route.to)).toSatisfy((to: string[]) => to.every((t) => t === 'console'));
    expect(r.config.store.url).toBe(`sqlite://${fileURLToPath(new URL('../../../data/hookbridge.sqlite', import.meta.url))}`);
  });

  it.skipIf(designTypes.length > 0)(`the DESIGN section 4 example is valid${designTypes.length ? ` (skipped: ${designTypes.join(', ')} not registered)` : ''}`, async () => {
    const r = await loadConfig(design, { env: designEnv });
    expect(r.ok ? [] : r.errors.map(formatConfigError)).toEqual([]);
    if (!r.ok) return;
    expect(r.config.server.rateLimit?.failedAuth).toEqual({ max: 20, window: 60_000, block: 600_000 });
    expect(r.config.routes[0]?.match.not).toEqual({ where: { 'workflow_run.head_branch': '~^dependabot/' } });
    expect(r.config.sources.payments?.tolerance).toBe(300_000);
  });

  it.skipIf(designTypes.length > 0)('the DESIGN example without its environment names each missing variable', async () => {
    const r = await loadConfig(design, { env: {} });
    const messages = r.ok ? [] : r.errors.map((e) => e.message);
    expect(messages).toContain('environment variable SLACK_BOT_TOKEN is not set (give a default with ${SLACK_BOT_TOKEN:-value})');
    expect(messages.filter((m) => m.startsWith('environment variable'))).toHaveLength(Object.keys(designEnv).length);
  });
});
