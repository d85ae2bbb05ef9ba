import Handlebars from 'handlebars';
import type { StoredEvent } from '../../store/types.js';
import type { RetryPlan } from './retry-plan.js';

export interface HttpActionConfig {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

type Compiled = { url: HandlebarsTemplateDelegate; body?: HandlebarsTemplateDelegate };

// Its own environment: the `json` helper must not leak into the message templates, and values are
// inserted as they are (HTML escaping would corrupt URLs and JSON bodies).
const env = Handlebars.create();
env.registerHelper('json', (v: unknown) => new Handlebars.SafeString(JSON.stringify(v ?? null)));
env.registerHelper('urlencode', (v: unknown) => encodeURIComponent(String(v ?? '')));

// Keyed by the config object: a reload brings new objects, so each version compiles once.
const cache = new WeakMap<HttpActionConfig, Compiled>();

function compiled(cfg: HttpActionConfig): Compiled {
  let c = cache.get(cfg);
  if (!c) {
    const o = { noEscape: true, strict: false };
    c = { url: env.compile(cfg.url, o), ...(cfg.body !== undefined && { body: env.compile(cfg.body, o) }) };
    cache.set(cfg, c);
  }
  return c;
}

/** A source's configured `retry:` HTTP action, its url and body rendered over the event payload. */
export function httpRetry(event: StoredEvent, cfg: HttpActionConfig | undefined): RetryPlan | undefined {
  if (!cfg) return undefined;
  const data = { ...(event.payload as object), event: { source: event.source, id: event.id, type: event.type } };
  let url: string;
  let body: string | undefined;
  try {
    const c = compiled(cfg);
    url = c.url(data).trim();
    body = c.body?.(data);
    new URL(url);
  } catch (err) {
    return { kind: 'unavailable', why: `the retry action of \`${event.source}\` could not be built from this event (${err instanceof Error ? err.message.split('\n')[0] : 'bad template'})` };
  }
  const headers = { ...(body !== undefined && { 'content-type': 'application/json' }), ...cfg.headers };
  return {
    kind: 'request',
    secrets: credentialsIn(cfg, url),
    request: { url, method: cfg.method ?? 'POST', headers, ...(body !== undefined && { body }), what: 'retry action' },
  };
}

const CREDENTIAL_PARAM = /token|key|secret|sig|pass|auth|code/i;

/**
 * What an error text must not show: each header value, and the credential inside it as well (a
 * provider echoes the token, not `Bearer <token>`), the URL's user info, and query values whose
 * names say they are credentials (`?token=…`).
 */
function credentialsIn(cfg: HttpActionConfig, url: string): string[] {
  const out: string[] = [];
  for (const value of Object.values(cfg.headers ?? {})) {
    out.push(value);
    const words = value.trim().split(/\s+/);
    for (const word of words.length > 1 ? words.slice(1) : []) out.push(word, word.slice(word.indexOf('=') + 1));
  }
  const u = new URL(url);
  for (const part of [u.username, u.password]) if (part) out.push(part, decodeURIComponent(part));
  for (const [name, value] of u.searchParams) if (value && CREDENTIAL_PARAM.test(name)) out.push(value, encodeURIComponent(value));
  return out;
}
