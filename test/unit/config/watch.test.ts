import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigError } from '../../../src/config/errors.js';
import type { HookbridgeConfig } from '../../../src/config/schema.js';
import { watchConfig, type ConfigWatcher } from '../../../src/config/watch.js';
import { demoTypes } from './demo-source-type.js';

/** Poll until the condition holds; the watcher is asynchronous by nature, and no test depends on how fast it is. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('watchConfig', () => {
  let dir: string;
  let file: string;
  let watcher: ConfigWatcher | undefined;
  const reloads: HookbridgeConfig[] = [];
  const invalid: ConfigError[][] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-watch-'));
    file = join(dir, 'hb.yaml');
    reloads.length = 0;
    invalid.length = 0;
    await writeFile(file, 'server: { port: 1000 }\n');
    await mkdir(join(dir, 'templates'));
    watcher = watchConfig(file, {
      onReload: (c) => reloads.push(c),
      onInvalid: (e) => invalid.push(e),
      extraPaths: [join(dir, 'templates'), join(dir, 'does-not-exist')],
      sourceTypes: demoTypes,
      env: {},
      debounceMs: 20,
    });
  });

  afterEach(async () => {
    watcher?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reloads on change; an invalid version reports errors and the caller keeps the last good one', async () => {
    await writeFile(file, 'server: { port: 2000 }\n');
    await until(() => reloads.some((c) => c.server.port === 2000), 'reload to port 2000');

    await writeFile(file, 'server: { port: nope }\n');
    await until(() => invalid.length > 0, 'the invalid version');
    expect(invalid.at(-1)?.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual(['1:17: server.port: expected number']);
    expect(reloads.at(-1)?.server.port).toBe(2000);
  });

  it('follows an editor that saves by renaming a new file over the old one', async () => {
    const temp = join(dir, '.hb.yaml.swp');
    await writeFile(temp, 'server: { port: 3000 }\n');
    await rename(temp, file);
    await until(() => reloads.some((c) => c.server.port === 3000), 'reload after rename');
    await writeFile(file, 'server: { port: 3001 }\n');
    await until(() => reloads.some((c) => c.server.port === 3001), 'reload after a later write');
  });

  it('reloads on SIGHUP and on template changes', async () => {
    process.kill(process.pid, 'SIGHUP');
    await until(() => reloads.some((c) => c.server.port === 1000), 'reload on SIGHUP');
    const before = reloads.length;
    await writeFile(join(dir, 'templates', 'x.hbs'), 'hello');
    await until(() => reloads.length > before, 'reload on a template change');
  });

  it('stops listening once closed', async () => {
    watcher?.close();
    watcher = undefined;
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });
});
