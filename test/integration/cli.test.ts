import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRender } from '../../src/cli/render.js';
import { runSend } from '../../src/cli/send.js';
import { runSources } from '../../src/cli/sources.js';
import { sourceTypes } from '../../src/sources/registry.js';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const exec = promisify(execFile);

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

let dir: string;
let configFile: string;
let app: RunningHookbridge;

const yaml = (port: number) => `
server: { port: ${port} }
store: { url: "memory://" }
sources:
  gh: { type: github, secret: cli-secret }
  pay: { type: stripe, secret: whsec_cli }
  std: { type: standard, secret: "whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}" }
routes:
  - match: {}
    to: [console]
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-cli-'));
  app = await startHookbridge(configFrom(yaml(0)));
  configFile = join(dir, 'hookbridge.yaml');
  await writeFile(configFile, yaml(Number(new URL(app.url).port)));
  await writeFile(join(dir, 'push.json'), JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/app' } }));
  await writeFile(join(dir, 'charge.json'), JSON.stringify({ id: 'evt_cli_1', type: 'charge.succeeded', data: { object: { id: 'ch_1', amount: 1250, currency: 'usd' } } }));
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hookbridge send', () => {
  it.each([
    ['gh', 'push.json', 'push'],
    ['pay', 'charge.json', undefined],
    ['std', 'charge.json', undefined],
  ])('signs for %s as its provider does and gets 202', async (sourceId, file, event) => {
    const stdout = new Capture();
    const code = await runSend({ configFile, sourceId, payloadFile: join(dir, file), ...(event ? { event } : {}), stdout, stderr: new Capture() });
    expect(stdout.text).toMatch(/^202 /);
    expect(code).toBe(0);
  });

  it('exits 1 with the answer when the request is refused', async () => {
    const stdout = new Capture();
    const code = await runSend({ configFile, sourceId: 'gh', event: 'push', payloadFile: join(dir, 'push.json'), url: `${app.url}/hooks/pay`, stdout, stderr: new Capture() });
    expect(code).toBe(1);
    expect(stdout.text).toMatch(/^401 /);
  });

  it('says what is missing when the provider needs an event name', async () => {
    const stderr = new Capture();
    expect(await runSend({ configFile, sourceId: 'gh', payloadFile: join(dir, 'push.json'), stdout: new Capture(), stderr })).toBe(1);
    expect(stderr.text).toMatch(/cannot sign for gh \(github\): .*event/);
  });

  it('names the configured sources when the id is unknown', async () => {
    const stderr = new Capture();
    expect(await runSend({ configFile, sourceId: 'nope', payloadFile: join(dir, 'push.json'), stdout: new Capture(), stderr })).toBe(1);
    expect(stderr.text).toContain('gh, pay, std');
  });
});

describe('hookbridge render', () => {
  it('prints Block Kit for Slack and an embed for Discord', async () => {
    const slack = new Capture();
    expect(await runRender({ configFile, sourceId: 'pay', event: 'charge.succeeded', platform: 'slack', payloadFile: join(dir, 'charge.json'), stdout: slack, stderr: new Capture() })).toBe(0);
    expect(JSON.parse(slack.text).blocks[0].type).toBe('header');
    const discord = new Capture();
    expect(await runRender({ configFile, sourceId: 'pay', event: 'charge.succeeded', platform: 'discord', payloadFile: join(dir, 'charge.json'), stdout: discord, stderr: new Capture() })).toBe(0);
    expect(JSON.parse(discord.text).embeds[0].title).toBeTruthy();
  });
});

describe('hookbridge sources', () => {
  it('lists every registered type with its verification and keys', () => {
    const out = new Capture();
    expect(runSources({ stdout: out, json: true })).toBe(0);
    const rows = JSON.parse(out.text) as { type: string; verification: string; keys: { key: string }[] }[];
    expect(rows.map((r) => r.type)).toEqual(sourceTypes.map((t) => t.type));
    const github = rows.find((r) => r.type === 'github')!;
    expect(github.keys.map((k) => k.key)).toEqual(expect.arrayContaining(['secret', 'allow', 'api']));
    for (const r of rows) expect(r.verification.length).toBeGreaterThan(5);
  });
});

describe('hookbridge check (as a process)', () => {
  it('exits 0 on the shipped example config', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'check', '--config', 'config/hookbridge.yaml'], { env: { PATH: process.env.PATH } });
    expect(stdout).toMatch(/OK/);
  });

  it('exits 1 with file:line:col for each problem', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'sources:\n  gh: { type: github, secret: x, colour: red }\nroutes:\n  - to: ["slack:#ci"]\n');
    const err = await exec(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'check', '--config', bad]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: .*colour`));
    expect((err as { stderr: string }).stderr).toMatch(/:4:\d+: .*slack/i);
  });
});

describe('hookbridge usage (as a process)', () => {
  const cli = (...args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('prints the usage for --help and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: hookbridge <command>/);
  });

  it('refuses a config file given without --config instead of checking the default one', async () => {
    const r = await cli('check', join(dir, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^hookbridge check: unexpected argument .*use --config/);
  });

  it('refuses an unknown option with the command\'s usage and exit 2', async () => {
    const r = await cli('check', '--colour');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hookbridge check: unknown option --colour\n\nusage: hookbridge check [--config FILE]\n\nvalidate the config and every template\n\n--config defaults to $HOOKBRIDGE_CONFIG, then config/hookbridge.yaml\n');
  });
});
