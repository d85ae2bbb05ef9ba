import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRef } from '../../../src/chat/target.js';
import type { Backend } from '../../../src/store/backend.js';
import { MemoryBackend } from '../../../src/store/memory-backend.js';
import { BackendMessageRefs, KeyvMessageRefs } from '../../../src/store/message-refs.js';
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

  it('reads references written before the upgrade (Keyv) and carries them over on the next write', async () => {
    const legacy = new KeyvMessageRefs(new Keyv(), 60_000);
    await legacy.put('gh/run-1', 'slack:#ci', ref('1.1'));
    await legacy.put('gh/run-1', 'slack:#ops', ref('2.2', 'C2'));
    const refs = new BackendMessageRefs(await make(), 60_000, Date.now, legacy);
    expect(await refs.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.1'));
    expect(await refs.all('gh/run-1')).toHaveLength(2);

    await refs.put('gh/run-1', 'slack:#ci', ref('1.5'));
    // The legacy store is only read: the new row holds both copies, the update included.
    expect(await legacy.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.1'));
    expect(await refs.get('gh/run-1', 'slack:#ci')).toEqual(ref('1.5'));
    expect(await refs.get('gh/run-1', 'slack:#ops')).toEqual(ref('2.2', 'C2'));
  });
});
