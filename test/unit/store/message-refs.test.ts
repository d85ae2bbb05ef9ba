import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRef } from '../../../src/chat/target.js';
import type { Backend } from '../../../src/store/backend.js';
import { MemoryBackend } from '../../../src/store/memory-backend.js';
import { BackendMessageRefs } from '../../../src/store/message-refs.js';
import { SqliteBackend } from '../../../src/store/sqlite-backend.js';

const dirs: string[] = [];
const open: Backend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const ref = (id: string, channel = 'C1'): MessageRef => ({ platform: 'slack', channel, id });

const backends: { name: string; make: () => Promise<Backend> }[] = [
  { name: 'memory', make: async () => new MemoryBackend() },
  {
    name: 'sqlite',
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'hb-refs-'));
      dirs.push(dir);
      const b = await SqliteBackend.open(join(dir, 'r.sqlite'));
      open.push(b);
      return b;
    },
  },
];

describe.each(backends)('BackendMessageRefs on $name', ({ make }) => {
  it('keeps one reference per target under a key and lists them all', async () => {
    const refs = new BackendMessageRefs(await make(), 60_000);
    expect(await refs.get('gh/run-1', 'slack:#ci')).toBeUndefined();
    await refs.put('gh/run-1', 'slack:#ci', ref('1.1'));
    await refs.put('gh/run-1', 'slack:#ops', ref('2.2', 'C2'));
    await refs.put('gh/run-1', 'slack:#ci', ref('1.3'));
    expect(await refs.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.3'));
    expect(await refs.get('gh/run-1', 'slack:#ops')).toEqual(ref('2.2', 'C2'));
    expect(await refs.get('gh/run-2', 'slack:#ci')).toBeUndefined();
    expect((await refs.all('gh/run-1')).sort((a, b) => a.target.localeCompare(b.target))).toEqual([
      { target: 'slack:#ci', ref: ref('1.3') },
      { target: 'slack:#ops', ref: ref('2.2', 'C2') },
    ]);
  });

  it('forgets references after their retention', async () => {
    let now = 1_000_000;
    const refs = new BackendMessageRefs(await make(), 60_000, () => now);
    await refs.put('k', 'slack:#ci', ref('1.1'));
    now += 59_000;
    expect(await refs.get('k', 'slack:#ci')).toEqual(ref('1.1'));
    now += 2_000;
    expect(await refs.get('k', 'slack:#ci')).toBeUndefined();
    expect(await refs.all('k')).toEqual([]);
  });
});

describe('BackendMessageRefs on a SQLite file written before the upgrade', () => {
  it('reads the references the old Keyv table held and carries them over on the next write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-refs-'));
    dirs.push(dir);
    const path = join(dir, 'r.sqlite');
    const db = new sqlite3.Database(path);
    const run = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
    // As @keyv/sqlite wrote them for KeyvMessageRefs (namespace "hb", the expiry inside the value).
    await run('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
    const map = { 'slack:#ci': ref('1.1'), 'slack:#ops': ref('2.2', 'C2') };
    await run('INSERT INTO keyv VALUES (?, ?)', ['hb:ref:gh/run-1', JSON.stringify({ value: map, expires: Date.now() + 60_000 })]);
    await new Promise<void>((resolve) => db.close(() => resolve()));

    const backend = await SqliteBackend.open(path);
    open.push(backend);
    const refs = new BackendMessageRefs(backend, 60_000);
    expect(await refs.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.1'));
    expect(await refs.all('gh/run-1')).toHaveLength(2);

    await refs.put('gh/run-1', 'slack:#ci', ref('1.5'));
    expect(await refs.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.5'));
    expect(await refs.get('gh/run-1', 'slack:#ops')).toEqual(ref('2.2', 'C2'));
    // A reference is not also kept as a Keyv entry.
    expect(await backend.get('kv:hb:ref:gh/run-1', Date.now())).toBeUndefined();
  });
});
