import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig, loadConfigText, type ConfigResult } from '../../../src/config/load.js';
import type { HookbridgeConfig } from '../../../src/config/schema.js';
import { demoTypes } from './demo-source-type.js';

const yaml = (...l: string[]) => `${l.join('\n')}\n`;
const ok = (r: ConfigResult): HookbridgeConfig => {
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
  return r.config;
};
const load = (text: string, env: NodeJS.ProcessEnv = {}, file = '/etc/hb/hb.yaml') =>
  loadConfigText(text, file, { env, sourceTypes: demoTypes });

describe('loadConfigText on valid files', () => {
  it('fills defaults and keeps the absolute file', () => {
    const c = ok(load('{}'));
    expect(c.file).toBe('/etc/hb/hb.yaml');
    expect(c.server.port).toBe(8080);
    expect(c.delivery.attempts).toBe(8);
    expect(c.sources).toEqual({});
    expect(c.routes).toEqual([]);
    expect(c.store.url).toBe('sqlite:///etc/hb/data/hookbridge.sqlite');
  });

  it.each([
    ['${V}', { V: 'set' }, 'set'],
    ['${V:-fallback}', {}, 'fallback'],
    ['${V:-fallback}', { V: '' }, 'fallback'],
    ['${V:-fallback}', { V: 'set' }, 'set'],
    ['pre-${A}-${B:-b}-post', { A: 'a' }, 'pre-a-b-post'],
    ['$${LITERAL}', {}, '${LITERAL}'],
  ])('interpolates %s', (value, env, expected) => {
    const c = ok(load(yaml('sources:', '  d:', '    type: demo', `    secret: "${value}"`), env));
    expect(c.sources.d?.secret).toEqual([expected]);
  });

  it('reads numbers from interpolated text, and PORT overrides server.port', () => {
    const text = yaml('server:', '  port: ${HB_PORT:-9000}', 'delivery:', '  attempts: ${ATTEMPTS:-3}');
    expect(ok(load(text)).server.port).toBe(9000);
    expect(ok(load(text)).delivery.attempts).toBe(3);
    expect(ok(load(text, { PORT: '3000' })).server.port).toBe(3000);
    expect(ok(load(yaml('server:', '  port: 1'), { PORT: ' ' })).server.port).toBe(1);
    const bad = load(yaml('server:', '  port: 1'), { PORT: 'http' });
    expect(bad.ok ? [] : bad.errors.map(formatConfigError)).toEqual([
      '/etc/hb/hb.yaml:2:9: the PORT environment variable must be a port number (0-65535)',
    ]);
  });

  it('merges `<<: *anchor` keys, as YAML 1.1 parsers (Alertmanager, Compose) do', () => {
    const text = yaml('sources:', '  a: &d', '    type: demo', '    secret: ${S:-s1}', '  b:', '    <<: *d', '    secret: s2');
    const c = ok(load(text));
    expect(c.sources.b).toEqual({ type: 'demo', secret: ['s2'] });
    expect(c.sources.a?.secret).toEqual(['s1']);
  });

  it('resolves templates, sqlite and tls paths against the config folder', () => {
    const text = yaml(
      'templates: ./tpl',
      'store: { url: "sqlite://../data/x.sqlite" }',
      'server: { tls: { cert: tls/c.pem, key: /abs/k.pem } }',
    );
    const c = ok(load(text, {}, 'conf/hb.yaml'));
    expect(c.file).toBe(resolve('conf/hb.yaml'));
    expect(c.templates).toBe(resolve('conf/tpl'));
    expect(c.store.url).toBe(`sqlite://${resolve('data/x.sqlite')}`);
    expect(c.server.tls).toEqual({ cert: resolve('conf/tls/c.pem'), key: '/abs/k.pem' });
    expect(ok(load('store: { url: "redis://localhost:6379/2" }')).store.url).toBe('redis://localhost:6379/2');
  });

  it('accepts targets once their platform has a token', () => {
    const text = yaml(
      'slack: { token: "${SLACK_BOT_TOKEN}" }',
      'discord: { token: "${DISCORD_BOT_TOKEN}" }',
      'alerts: { to: ["slack:#ops"] }',
      'routes:',
      '  - to: ["slack:#ci", "discord:1234", console]',
    );
    const c = ok(load(text, { SLACK_BOT_TOKEN: 'xoxb-1', DISCORD_BOT_TOKEN: 'd' }));
    expect(c.routes[0]?.to).toEqual(['slack:#ci', 'discord:1234', 'console']);
    expect(c.alerts?.to).toEqual(['slack:#ops']);
  });

  it('accepts source globs that match no source yet', () => {
    expect(ok(load(yaml('routes:', '  - { match: { source: "ci-*" }, to: [console] }'))).routes).toHaveLength(1);
  });
});

describe('secrets never appear in messages', () => {
  const env = { SECRET_A: 'hunter2-very-secret', SECRET_B: 'xoxb-123-secret-token' };
  const text = yaml(
    'slack: { token: "${SECRET_B}", signingSecret: 5 }',
    'sources:',
    '  d:',
    '    type: demo',
    '    secret: ${SECRET_A}',
    '    tolerance: ${SECRET_A}',
    '    nested: ${SECRET_B}',
    '  e: { type: "${SECRET_A}" }',
    'server: { port: "${SECRET_B}" }',
    'routes: [{ match: { source: "${SECRET_A}" }, to: ["${SECRET_B}"] }]',
  );

  it('redacts values read from the environment, even where a validator quotes its input', () => {
    const r = load(text, env);
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.errors.map(formatConfigError);
    expect(messages.length).toBeGreaterThanOrEqual(6);
    for (const m of messages) for (const secret of Object.values(env)) expect(m).not.toContain(secret);
    expect(messages).toContain('/etc/hb/hb.yaml:6:16: sources.d.tolerance: invalid duration "***" (use e.g. 30s, 5m, 2h, 1d)');
  });
});

describe('loadConfig', () => {
  it('reads the file and reports a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-load-'));
    try {
      await writeFile(join(dir, 'hb.yaml'), 'server: { port: 1234 }\n');
      const c = ok(await loadConfig(join(dir, 'hb.yaml'), { env: {}, sourceTypes: demoTypes }));
      expect(c.server.port).toBe(1234);
      const missing = await loadConfig(join(dir, 'nope.yaml'), { env: {} });
      expect(missing.ok ? [] : missing.errors.map(formatConfigError)).toEqual([`${join(dir, 'nope.yaml')}:1:1: file not found`]);
      const folder = await loadConfig(dir, { env: {} });
      expect(folder.ok ? [] : folder.errors.map(formatConfigError)).toEqual([`${dir}:1:1: is a directory, not a config file`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
