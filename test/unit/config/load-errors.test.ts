import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfigText, type ConfigResult } from '../../../src/config/load.js';
import { demoTypes } from './demo-source-type.js';

const load = (text: string, env: NodeJS.ProcessEnv = {}) => loadConfigText(text, 'hb.yaml', { env, sourceTypes: demoTypes });
const lines = (r: ConfigResult) => (r.ok ? [] : r.errors.map(formatConfigError));
const yaml = (...l: string[]) => `${l.join('\n')}\n`;

const source = ['sources:', '  d:', '    type: demo', '    secret: s'];

describe('loadConfigText errors, each at its own node', () => {
  it.each([
    [
      'unknown key nested deep, at the key',
      yaml(...source, '    nested:', '      deep:', '        x: ok', '        colour: red'),
      ['hb.yaml:8:9: sources.d.nested.deep: unknown key "colour"'],
    ],
    ['unknown top-level key', yaml('sever:', '  port: 1'), ['hb.yaml:1:1: unknown key "sever"']],
    [
      'unknown key in a route matcher',
      yaml(...source, 'routes:', '  - match: { sorce: d }', '    to: [console]'),
      ['hb.yaml:6:14: routes[0].match: unknown key "sorce"'],
    ],
    ['wrong type, at the value', yaml('server:', '  port: eighty'), ['hb.yaml:2:9: server.port: expected number']],
    [
      'union of string or list',
      yaml(...source, 'routes:', '  - match: { source: { a: 1 } }', '    to: [console]'),
      ['hb.yaml:6:22: routes[0].match.source: expected string or array'],
    ],
    [
      'unknown source type, at the type value',
      yaml('sources:', '  gh:', '    type: githib', '    secret: s'),
      ['hb.yaml:3:11: sources.gh.type: unknown source type "githib" (known: demo)'],
    ],
    ['missing type', yaml('sources:', '  gh:', '    secret: s'), ['hb.yaml:3:5: sources.gh: missing "type" (one of: demo)']],
    [
      'missing required key, at its parent',
      yaml('routes:', '  - match: {}'),
      ['hb.yaml:2:5: routes[0]: missing required key "to"'],
    ],
    [
      'unset variable without default, naming it',
      yaml('sources:', '  d:', '    type: demo', '    secret: ${DEMO_SECRET}'),
      ['hb.yaml:4:13: environment variable DEMO_SECRET is not set (give a default with ${DEMO_SECRET:-value})'],
    ],
    [
      'malformed variable reference',
      yaml('sources:', '  d:', '    type: demo', '    secret: "${bad name}"'),
      ['hb.yaml:4:13: malformed variable reference: use ${NAME} or ${NAME:-default}'],
    ],
    [
      'route naming an unknown source',
      yaml(...source, 'routes:', '  - match: { source: [d, nope] }', '    to: [console]'),
      ['hb.yaml:6:26: routes[0].match.source[1]: unknown source "nope" (sources: d)'],
    ],
    [
      'unknown source inside any/not',
      yaml(...source, 'routes:', '  - match:', '      not: { any: [{ source: ghost }] }', '    to: [console]'),
      ['hb.yaml:7:30: routes[0].match.not.any[0].source: unknown source "ghost" (sources: d)'],
    ],
    [
      'slack target without a slack token',
      yaml('routes:', '  - to: ["slack:#ci", console]'),
      ['hb.yaml:2:10: routes[0].to[0]: target "slack:#ci" needs slack.token: slack is not configured (or its token is empty)'],
    ],
    [
      'discord alert target with an empty token',
      yaml('discord:', '  token: ${DISCORD_BOT_TOKEN:-}', 'alerts:', '  to:', '    - "discord:123"'),
      ['hb.yaml:5:7: alerts.to[0]: target "discord:123" needs discord.token: discord is not configured (or its token is empty)'],
    ],
    [
      'bad target syntax',
      yaml('routes:', '  - to: ["discord:#general"]'),
      ['hb.yaml:2:10: routes[0].to[0]: target must be slack:<#name or id>, discord:<channel id> or console'],
    ],
    [
      'broken regex in where',
      yaml('routes:', '  - match: { where: { a.b: "~([" } }', '    to: [console]'),
      ['hb.yaml:2:28: routes[0].match.where.a.b: invalid regular expression after "~"'],
    ],
    [
      'duplicate route names',
      yaml('routes:', '  - { name: x, to: [console] }', '  - { name: x, to: [console] }'),
      ['hb.yaml:3:13: routes[1].name: "x" is already the name of routes[0]'],
    ],
    ['YAML syntax error', yaml('server:', '  port: 1', ' bad: [1,'), [
        'hb.yaml:3:1: YAML: All mapping items must start at the same column',
        'hb.yaml:4:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ]],
    [
      'unquoted ${VAR} in a flow map, with a hint',
      yaml('slack: { token: ${SLACK_BOT_TOKEN} }'),
      [
        'hb.yaml:1:18: YAML: Unexpected flow-map-start at node end (quote ${...} values inside { } or [ ])',
      ],
    ],
    ['duplicate YAML key', yaml('server:', '  port: 1', '  port: 2'), ['hb.yaml:3:3: YAML: Map keys must be unique']],
    // Accepted, an empty file caught mid-save would drop every source and route on reload.
    ['an empty file', '', ['hb.yaml:1:1: the config file is empty (write {} for a config of defaults only)']],
    ['a file of comments only', yaml('# sources:', '#   gh: {}'), ['hb.yaml:1:1: the config file is empty (write {} for a config of defaults only)']],
    ['a file that is a list', yaml('- server: {}', '- sources: {}'), [
        'hb.yaml:1:1: the config must be a mapping of sections (server:, sources:, routes:, ...), not a list',
      ]],
    ['a file that is a string', yaml('', '  hookbridge'), [
        'hb.yaml:2:3: the config must be a mapping of sections (server:, sources:, routes:, ...), not a single value',
      ]],
    ['a tab as indentation', yaml('server:', '\tport: 1'), ['hb.yaml:2:1: YAML: Tabs are not allowed as indentation']],
    ['two documents in one file', yaml('server: {}', '---', 'sources: {}'), [
        'hb.yaml:2:1: YAML: a config file holds one YAML document; this one has a second after "---"',
      ]],
    ['a number out of range, once', yaml('server:', '  port: 99999999999999999999999'), ['hb.yaml:2:9: server.port: must be at most 65535']],
    ['a bound, in words', yaml('delivery:', '  attempts: 0', 'routes:', '  - to: []'), [
        'hb.yaml:2:13: delivery.attempts: must be at least 1',
        'hb.yaml:4:9: routes[0].to: must have at least 1 item',
      ]],
  ])('%s', (_name, text, expected) => {
    expect(lines(load(text))).toEqual(expected);
  });

  it('reports every error at once, in file order', () => {
    const text = yaml(
      'server:',
      '  port: "x"',
      '  colour: red',
      'sources:',
      '  gh: { type: githib }',
      '  d: { type: demo, secret: "${MISSING}" }',
      'routes:',
      '  - match: { source: nope }',
      '    to: ["slack:#ci"]',
    );
    expect(lines(load(text))).toEqual([
      'hb.yaml:2:9: server.port: expected number',
      'hb.yaml:3:3: server: unknown key "colour"',
      'hb.yaml:5:15: sources.gh.type: unknown source type "githib" (known: demo)',
      'hb.yaml:6:28: environment variable MISSING is not set (give a default with ${MISSING:-value})',
      'hb.yaml:8:22: routes[0].match.source: unknown source "nope" (sources: d, gh)',
      'hb.yaml:9:10: routes[0].to[0]: target "slack:#ci" needs slack.token: slack is not configured (or its token is empty)',
    ]);
  });
});

describe('address lists', () => {
  it('reports a bad allow or trustProxy entry at the entry itself', async () => {
    const { loadConfigText: load } = await import('../../../src/config/load.js');
    const text = [
      'server:',
      '  trustProxy: [10.0.0.0/8, "10.0.0.0/33"]',
      'sources:',
      '  gh:',
      '    type: github',
      '    secret: s',
      '    allow: [192.30.252.0/22, not-an-ip, "2001:db8::/32"]',
    ].join('\n');
    const r = load(text, '/cfg/hb.yaml', { env: {} });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
    expect(errors).toEqual([
      expect.stringMatching(/^2:28: .*prefix length must be 0 to 32/),
      expect.stringMatching(/^7:30: .*"not-an-ip" is not an address/),
    ]);
  });
});

describe('values that parse but cannot work', () => {
  it.each([
    ['a zero dedupe TTL (a retried delivery would be posted again)', yaml('store:', '  dedupeTtl: 0s'), ['hb.yaml:2:14: store.dedupeTtl: must be longer than 0']],
    ['a zero retention', yaml('store:', '  retention: 0'), ['hb.yaml:2:14: store.retention: must be longer than 0']],
    ['a zero chat timeout', yaml('delivery:', '  timeout: 0ms'), ['hb.yaml:2:12: delivery.timeout: must be longer than 0']],
    [
      'a timeout no timer can hold',
      yaml('delivery:', '  timeout: 30d'),
      ['hb.yaml:2:12: delivery.timeout: must be at most 24d (the longest a timer can wait)'],
    ],
    ['a zero backoff (a hot retry loop)', yaml('delivery:', '  backoff: { min: 0s, max: 1s }'), ['hb.yaml:2:19: delivery.backoff.min: must be longer than 0']],
    [
      'a backoff whose min exceeds its max',
      yaml('delivery:', '  backoff: { min: 5m, max: 1m }'),
      ['hb.yaml:2:19: delivery.backoff.min: min must not be longer than max'],
    ],
    ['a duration too long to count', yaml('store:', '  dedupeTtl: 99999999999999999w'), ['hb.yaml:2:14: store.dedupeTtl: is too long']],
    ['a zero body limit (every request 413)', yaml('server:', '  bodyLimit: 0mb'), ['hb.yaml:2:14: server.bodyLimit: must be at least 1 byte']],
    [
      'a per-IP rate of 0 (every request 429)',
      yaml('server:', '  rateLimit: { perIp: 0/s }'),
      ['hb.yaml:2:23: server.rateLimit.perIp: the count must be at least 1 (leave the key out for no limit)'],
    ],
    ['a negative bare-number duration', yaml('delivery:', '  timeout: -5'), ['hb.yaml:2:12: delivery.timeout: a duration cannot be negative']],
    [
      'a burst without a per-IP rate, which would be ignored',
      yaml('server:', '  rateLimit:', '    burst: 100'),
      ['hb.yaml:3:12: server.rateLimit.burst: burst needs perIp (it is an allowance above that rate)'],
    ],
    [
      'a zero failed-auth window',
      yaml('server:', '  rateLimit:', '    failedAuth: { max: 5, window: 0s, block: 10m }'),
      ['hb.yaml:3:35: server.rateLimit.failedAuth.window: must be longer than 0'],
    ],
    [
      'a pace of 0 messages, or per 0 seconds',
      yaml('delivery:', '  pace: { slack: 0/1s, discord: 1/0s }'),
      [
        'hb.yaml:2:18: delivery.pace.slack: pace needs at least 1 message per window longer than 0 (or "off")',
        'hb.yaml:2:33: delivery.pace.discord: pace needs at least 1 message per window longer than 0 (or "off")',
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(lines(load(text))).toEqual(expected);
  });

  it('still takes the smallest sensible values', () => {
    const r = load(yaml('delivery:', '  timeout: 1ms', '  backoff: { min: 1ms, max: 1ms }', '  pace: { slack: 1/1ms }', 'store:', '  dedupeTtl: 1s', 'server:', '  bodyLimit: 1'));
    expect(lines(r)).toEqual([]);
  });
});
