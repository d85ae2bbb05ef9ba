import { formatConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { HookbridgeConfig, SourceConfig } from '../config/schema.js';

/** Loads the config and one source of it for a command, printing why not when it cannot. */
export async function loadSource(
  configFile: string,
  sourceId: string,
  stderr: NodeJS.WritableStream,
): Promise<{ config: HookbridgeConfig; source: SourceConfig } | undefined> {
  const loaded = await loadConfig(configFile);
  if (!loaded.ok) {
    for (const e of loaded.errors) stderr.write(`${formatConfigError(e)}\n`);
    return undefined;
  }
  const source = loaded.config.sources[sourceId];
  if (!source) {
    stderr.write(`unknown source "${sourceId}" (configured: ${Object.keys(loaded.config.sources).join(', ') || 'none'})\n`);
    return undefined;
  }
  return { config: loaded.config, source };
}
