import type { HookbridgeConfig, SourceConfig } from '../config/schema.js';
import { compileRoutes, type CompiledRoute } from '../routing/compile.js';
import { findSourceType } from '../sources/registry.js';
import type { AnySourceType } from '../sources/types.js';

export interface ConfiguredSource {
  readonly id: string;
  readonly type: AnySourceType;
  readonly cfg: SourceConfig;
  readonly contentTypes: ReadonlySet<string>;
}

/**
 * Everything the request path needs from one version of the config, compiled once. A reload
 * builds a new Runtime and swaps it in whole, so a request never sees half of two configs.
 */
export interface Runtime {
  readonly config: HookbridgeConfig;
  readonly sources: ReadonlyMap<string, ConfiguredSource>;
  readonly routes: readonly CompiledRoute[];
}

export function buildRuntime(config: HookbridgeConfig): Runtime {
  const sources = new Map<string, ConfiguredSource>();
  for (const [id, cfg] of Object.entries(config.sources)) {
    const type = findSourceType(cfg.type);
    // The config loader already rejected unknown types; this guards hand-built configs.
    if (!type) throw new Error(`source ${id}: unknown type ${cfg.type}`);
    sources.set(id, { id, type, cfg, contentTypes: new Set(type.contentTypes ?? ['application/json']) });
  }
  return { config, sources, routes: compileRoutes(config.routes) };
}
