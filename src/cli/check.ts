import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { formatConfigError, type ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { problemInFile } from '../config/positions.js';
import type { HookbridgeConfig } from '../config/schema.js';
import type { AnySourceType } from '../sources/types.js';

export interface CheckOptions {
  readonly configFile: string;
  /** Validates every template the config can reach; supplied by the render layer. */
  readonly checkTemplates?: (config: HookbridgeConfig) => Promise<ConfigError[]>;
  readonly env?: NodeJS.ProcessEnv;
  readonly sourceTypes?: readonly AnySourceType[];
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** `hookbridge check`: every problem as `file:line:col: message` and exit 1, or a one-line summary and exit 0. */
export async function runCheck(o: CheckOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const loaded = await loadConfig(o.configFile, { env: o.env ?? process.env, ...(o.sourceTypes ? { sourceTypes: o.sourceTypes } : {}) });
  let errors = loaded.ok ? await templatesFolderErrors(o.configFile, loaded.config) : loaded.errors;
  if (loaded.ok && errors.length === 0) errors = (await o.checkTemplates?.(loaded.config)) ?? [];
  if (errors.length > 0) {
    for (const e of errors) stderr.write(`${formatConfigError(e)}\n`);
    stderr.write(`${errors.length} problem${errors.length === 1 ? '' : 's'} found\n`);
    return 1;
  }
  if (!loaded.ok) return 1;
  const { sources, routes } = loaded.config;
  const ids = Object.keys(sources);
  const name = relative(process.cwd(), loaded.config.file) || loaded.config.file;
  stdout.write(`${name}: OK (${ids.length} source${ids.length === 1 ? '' : 's'}: ${ids.join(', ') || 'none'}; ${routes.length} route${routes.length === 1 ? '' : 's'})\n`);
  return 0;
}

/**
 * The bot starts without a templates folder (it may be created later and is then watched), but a check that passed
 * while a typo in `templates:` leaves every user template unused would be no check at all.
 */
async function templatesFolderErrors(file: string, config: HookbridgeConfig): Promise<ConfigError[]> {
  if (config.templates === undefined) return [];
  const found = await stat(config.templates).catch(() => undefined);
  if (found?.isDirectory()) return [];
  const message = `templates: ${config.templates} ${found ? 'is not a folder' : 'does not exist'}`;
  return [await problemInFile(file, { path: ['templates'], message })];
}
