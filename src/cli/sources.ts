import { z } from 'zod';
import { sourceTypes } from '../sources/registry.js';
import type { AnySourceType } from '../sources/types.js';

/** Config keys of a source type, read from its zod schema so the listing never drifts from the code. */
export function configKeys(type: AnySourceType): { key: string; required: boolean; description?: string }[] {
  const json = z.toJSONSchema(type.config, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
    anyOf?: { properties?: Record<string, { description?: string }>; required?: string[] }[];
  };
  const variants = json.anyOf ?? [json];
  const out = new Map<string, { key: string; required: boolean; description?: string }>();
  for (const v of variants) {
    for (const [key, prop] of Object.entries(v.properties ?? {})) {
      if (key === 'type') continue;
      const required = variants.every((w) => w.required?.includes(key));
      out.set(key, { key, required, ...(prop.description ? { description: prop.description } : {}) });
    }
  }
  return [...out.values()];
}

/** `hookbridge sources`: every supported type, its verification and config keys. */
export function runSources(o: { stdout?: NodeJS.WritableStream; json?: boolean } = {}): number {
  const stdout = o.stdout ?? process.stdout;
  const rows = sourceTypes.map((t) => ({ type: t.type, area: t.area, summary: t.summary, verification: t.verification, keys: configKeys(t) }));
  if (o.json) {
    stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    stdout.write(`${r.type} (${r.area}): ${r.summary}\n  verification: ${r.verification}\n`);
    for (const k of r.keys) stdout.write(`  ${k.required ? '*' : ' '} ${k.key}${k.description ? `: ${k.description}` : ''}\n`);
  }
  stdout.write('\n* = required\n');
  return 0;
}
