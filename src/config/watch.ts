import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { AnySourceType } from '../sources/types.js';
import type { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import type { HookbridgeConfig } from './schema.js';

export interface WatchOptions {
  readonly onReload: (config: HookbridgeConfig) => void;
  /** The new version is rejected; the caller keeps running on the last good one. */
  readonly onInvalid: (errors: ConfigError[]) => void;
  /** Folders (templates) whose changes also trigger a reload; watched recursively. */
  readonly extraPaths?: readonly string[];
  readonly sourceTypes?: readonly AnySourceType[];
  readonly env?: NodeJS.ProcessEnv;
  /** Quiet time before reloading, so an editor's burst of writes is one reload. Default 100 ms. */
  readonly debounceMs?: number;
}

export interface ConfigWatcher {
  close(): void;
}

/** Reload on file change and on SIGHUP. */
export function watchConfig(file: string, o: WatchOptions): ConfigWatcher {
  const path = resolve(file);
  const reloader = serialReloader(path, o);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reloader, o.debounceMs ?? 100);
  };
  // Watch the folder, not the file: editors that save by writing a temp file and renaming it over the original
  // replace the inode, and a watch on the old inode would go quiet.
  const name = basename(path);
  const watchers: FSWatcher[] = [];
  const add = (target: string, recursive: boolean, filter?: (f: string | null) => boolean) => {
    try {
      const w = watch(target, { recursive, persistent: false }, (_event, f) => {
        if (!filter || filter(f?.toString() ?? null)) schedule();
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A template folder that does not exist yet has nothing to watch; the config still reloads.
    }
  };
  add(dirname(path), false, (f) => f === null || f === name);
  for (const extra of o.extraPaths ?? []) add(resolve(extra), true);
  process.on('SIGHUP', schedule);
  return {
    close() {
      clearTimeout(timer);
      process.off('SIGHUP', schedule);
      for (const w of watchers) w.close();
    },
  };
}

/** One reload at a time; a change that arrives during a reload runs one more after it, so the last edit always lands. */
function serialReloader(path: string, o: WatchOptions): () => void {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const r = await loadConfig(path, { ...(o.env ? { env: o.env } : {}), ...(o.sourceTypes ? { sourceTypes: o.sourceTypes } : {}) });
        if (r.ok) o.onReload(r.config);
        else o.onInvalid(r.errors);
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void run();
}
