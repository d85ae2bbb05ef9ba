import { z } from 'zod';

/** Duration like `300ms`, `30s`, `5m`, `2h`, `1d`, `1w` → milliseconds. */
export const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number | undefined {
  const m = durationPattern.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * unitMs[m[2]!]!);
}

export const duration = z
  .union([z.string(), z.number().int().nonnegative('a duration cannot be negative')])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v * 1000;
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `invalid duration "${v}" (use e.g. 30s, 5m, 2h, 1d)` });
      return z.NEVER;
    }
    return ms;
  })
  .describe('duration: 30s, 5m, 2h, 1d (a bare number is seconds)');

/** A secret or a list of secrets, all valid at once (rotation). */
export const secrets = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .describe('secret, or a list of secrets valid at once (rotation)');

export const basicAuth = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });

export const apiConfig = z
  .strictObject({ url: z.url(), token: z.string().min(1).optional() })
  .describe('provider REST API for two-way actions (Retry, Resolve, silences)');

export const rate = z
  .string()
  .regex(/^\d+\/(s|m|h)$/, 'rate must look like 100/s, 600/m or 1000/h')
  // A count of 0 would refuse every request.
  .refine((v) => !/^\d+\//.test(v) || Number(v.split('/')[0]) > 0, 'the count must be at least 1 (leave the key out for no limit)')
  .describe('requests per time unit: 100/s, 600/m');

export const httpAction = z.strictObject({
  url: z.string().min(1),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
});

/** Keys every source accepts besides its type-specific ones. */
export const commonSourceFields = {
  allow: z.array(z.string()).optional().describe('CIDR allowlist of sender addresses'),
  rateLimit: rate.optional(),
  retry: httpAction.optional().describe('HTTP action run by the Retry button'),
};
