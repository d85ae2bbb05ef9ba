import { z } from 'zod';
import { duration, parseDuration, rate } from '../sources/config-fields.js';

const size = z
  .union([z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'size must look like 512kb or 1mb'), z.number().int().positive()])
  .transform((v) => {
    if (typeof v === 'number') return v;
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
    return Math.round(Number(m[1]) * unit);
  })
  // "0mb" would refuse every request with 413.
  .pipe(z.number().min(1, 'must be at least 1 byte'));

/** The longest delay a Node.js timer can hold (about 24.8 days): a longer one fires at once. */
const TIMER_MAX_MS = 2 ** 31 - 1;

/**
 * A duration that must be longer than zero: a zero timeout, TTL, window or backoff is never what was meant
 * (a dedupe key that expires at once lets a retried delivery post twice; a zero backoff retries in a hot loop).
 * `timer` caps it where it ends up in a timer.
 */
const positiveDuration = (o: { timer?: boolean } = {}) =>
  duration.pipe(
    z
      .number()
      .min(1, 'must be longer than 0')
      .max(o.timer ? TIMER_MAX_MS : Number.MAX_SAFE_INTEGER, o.timer ? 'must be at most 24d (the longest a timer can wait)' : 'is too long'),
  );


/**
 * A whole number, also from a numeric string: `${PORT:-8080}` interpolates to text, and the YAML author meant a number.
 * Only fields that are numbers take this; ids that look numeric (Discord) stay strings.
 */
const int = (inner: z.ZodNumber) =>
  // The range comes first, so a huge number gets the one complaint about its range rather than a second about int precision.
  z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), inner.pipe(z.number().int()));

export const serverSchema = z.strictObject({
  port: int(z.number().min(0).max(65535)).default(8080),
  host: z.string().default('0.0.0.0'),
  bodyLimit: size.default(1024 * 1024),
  publicUrl: z.url().optional().describe('external base URL as providers call it (default: taken from the Host header); Square signs its own notificationUrl'),
  tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
  trustProxy: z.array(z.string()).default([]),
  rateLimit: z
    .strictObject({
      perIp: rate.optional(),
      burst: int(z.number().positive()).optional(),
      failedAuth: z
        .strictObject({ max: int(z.number().positive()), window: positiveDuration(), block: positiveDuration() })
        .optional(),
    })
    .superRefine((v, ctx) => {
      // A burst is an allowance above the per-IP rate; without one it would be ignored without a word.
      if (v.burst !== undefined && v.perIp === undefined) ctx.addIssue({ code: 'custom', path: ['burst'], message: 'burst needs perIp (it is an allowance above that rate)' });
    })
    .optional(),
});

/** `COUNT/DURATION` per channel (`1/1s`, `5/5s`, `20/1m`) or `off`. */
const paceRate = z.union([
  z.literal('off'),
  z
    .string()
    .regex(/^\d+\/\d+(ms|s|m)$/, 'pace must look like 1/1s, 5/5s or off')
    .transform((v) => {
      const [count, per] = v.split('/') as [string, string];
      return { count: Number(count), perMs: parseDuration(per)! };
    })
    // 0 sends per window, or a window of 0, would not pace at all; "off" says that.
    .refine((p) => p.count > 0 && p.perMs > 0, 'pace needs at least 1 message per window longer than 0 (or "off")'),
]);

export const deliverySchema = z.strictObject({
  attempts: int(z.number().min(1).max(100)).default(8),
  backoff: z
    .strictObject({ min: positiveDuration({ timer: true }).default(1000), max: positiveDuration({ timer: true }).default(600_000) })
    .superRefine((b, ctx) => {
      if (b.min > b.max) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must not be longer than max' });
    })
    .default({ min: 1000, max: 600_000 }),
  timeout: positiveDuration({ timer: true }).default(10_000),
  concurrency: int(z.number().min(1).max(256)).default(8),
  pace: z
    .strictObject({ slack: paceRate.optional(), discord: paceRate.optional() })
    .optional()
    .describe('messages per channel: "1/1s" (Slack default), "5/5s" (Discord default), or "off"'),
});

export const storeSchema = z.strictObject({
  url: z
    .string()
    .regex(/^(memory:\/\/|sqlite:\/\/.+|rediss?:\/\/.+)/, 'store url must be memory://, sqlite://PATH or redis://HOST:PORT[/DB]')
    .default('sqlite://./data/hookbridge.sqlite'),
  dedupeTtl: positiveDuration().default(72 * 3_600_000),
  retention: positiveDuration().default(7 * 86_400_000).describe('how long the event log keeps events for replay'),
});

export const slackSchema = z.strictObject({
  token: z.string().optional(),
  signingSecret: z.string().optional(),
  apiUrl: z.url().optional(),
});

export const discordSchema = z.strictObject({
  token: z.string().optional(),
  applicationId: z.string().optional(),
  publicKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'publicKey must be the 64 hex digit Ed25519 key').optional(),
  apiUrl: z.url().optional(),
});

export const targetPattern = /^(slack:.+|discord:\d+|console)$/;
export const target = z.string().regex(targetPattern, 'target must be slack:<#name or id>, discord:<channel id> or console');

const stringMatch = z.union([z.string(), z.array(z.string()).min(1)]);
/** `~` starts a regular expression; a broken one is a config error here rather than a crash when the first event comes. */
const whereString = z.string().refine(
  (v) => {
    if (!v.startsWith('~')) return true;
    try {
      new RegExp(v.slice(1));
      return true;
    } catch {
      return false;
    }
  },
  { message: 'invalid regular expression after "~"' },
);
const whereScalar = z.union([whereString, z.number(), z.boolean(), z.null()]);
const whereValue = z.union([whereScalar, z.array(whereScalar).min(1)]);

export interface Matcher {
  source?: string | string[];
  event?: string | string[];
  where?: Record<string, z.infer<typeof whereValue>>;
  any?: Matcher[];
  not?: Matcher;
}

export const matcherSchema: z.ZodType<Matcher> = z.lazy(() =>
  z.strictObject({
    source: stringMatch.optional(),
    event: stringMatch.optional(),
    where: z.record(z.string(), whereValue).optional(),
    any: z.array(matcherSchema).min(1).optional(),
    not: matcherSchema.optional(),
  }),
);

export const actionName = z.enum(['ack', 'retry', 'mute', 'resolve']);

export const routeSchema = z.strictObject({
  name: z.string().optional(),
  match: matcherSchema.default({}),
  to: z.array(target).min(1),
  template: z.string().optional(),
  actions: z.array(actionName).default([]),
  thread: z.enum(['update', 'reply', 'new']).default('update'),
  continue: z.boolean().default(false),
});

export const alertsSchema = z.strictObject({
  to: z.array(target).min(1),
  on: z.array(z.enum(['dead-letter', 'auth-failures'])).default(['dead-letter', 'auth-failures']),
});

export const adminsSchema = z.strictObject({
  slack: z.array(z.string()).default([]),
  discord: z.array(z.string()).default([]),
});

/** Built from the registry by config/load.ts so every provider's own schema applies to its entries. */
export function configSchema<S extends z.ZodType = z.ZodType>(sourceEntry: S) {
  return z.strictObject({
    server: serverSchema.default(serverSchema.parse({})),
    delivery: deliverySchema.default(deliverySchema.parse({})),
    alerts: alertsSchema.optional(),
    templates: z.string().optional(),
    store: storeSchema.default(storeSchema.parse({})),
    slack: slackSchema.optional(),
    discord: discordSchema.optional(),
    admins: adminsSchema.default({ slack: [], discord: [] }),
    sources: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'source ids are 1 to 40 letters, digits, _ . -'), sourceEntry).default({}),
    routes: z.array(routeSchema).default([]),
  });
}

export type ServerConfig = z.infer<typeof serverSchema>;
export type DeliveryConfig = z.infer<typeof deliverySchema>;
export type StoreConfig = z.infer<typeof storeSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type ActionNameConfig = z.infer<typeof actionName>;

/** A source entry after validation: its type plus the provider's own keys. */
export type SourceConfig = { type: string } & Record<string, unknown>;

export interface HookbridgeConfig extends Omit<z.infer<ReturnType<typeof configSchema>>, 'sources'> {
  sources: Record<string, SourceConfig>;
  /** Absolute path of the file this came from; relative paths in it resolve against its folder. */
  file: string;
}
