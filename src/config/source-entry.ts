import { z } from 'zod';
import type { AnySourceType } from '../sources/types.js';

/**
 * The schema of one `sources.<id>` entry: read its `type`, then hand the whole entry to that provider's own schema,
 * so each provider's keys (and its unknown-key errors) apply to its entries only.
 */
export function sourceEntrySchema(types: readonly AnySourceType[]): z.ZodType<{ type: string } & Record<string, unknown>> {
  const byType = new Map(types.map((t) => [t.type, t]));
  const known = [...byType.keys()].sort().join(', ') || '(none registered)';
  return z.unknown().transform((entry, ctx) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      ctx.addIssue({ code: 'custom', message: 'a source must be a mapping with at least a "type" key', input: entry });
      return z.NEVER;
    }
    const type = (entry as { type?: unknown }).type;
    if (type === undefined || type === null) {
      ctx.addIssue({ code: 'custom', message: `missing "type" (one of: ${known})`, input: entry });
      return z.NEVER;
    }
    const provider = typeof type === 'string' ? byType.get(type) : undefined;
    if (!provider) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `unknown source type "${String(type)}" (known: ${known})`, input: type });
      return z.NEVER;
    }
    const r = provider.config.safeParse(entry);
    if (r.success) return r.data as { type: string } & Record<string, unknown>;
    for (const issue of r.error.issues) ctx.addIssue({ ...issue, input: undefined });
    return z.NEVER;
  });
}
