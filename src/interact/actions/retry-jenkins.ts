import { readPath, readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import type { ApiOutcome } from './api-call.js';
import { noToken, trimSlash, type ApiConfig, type RetryPlan } from './retry-plan.js';

interface JenkinsCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly what: string;
}

/** A decoded segment that would climb out of the job's path. */
const escapes = (segment: string): boolean => {
  try {
    return ['.', '..'].includes(decodeURIComponent(segment));
  } catch {
    return true;
  }
};

/**
 * `job/folder/job/app` for a job. The Notification plugin's `url` is the full path, already
 * encoded, while its `name` is the leaf only; a job posting its own JSON may give `name` as
 * `folder/app` instead.
 */
export function jenkinsJobPath(payload: unknown): string | undefined {
  const url = readText(payload, 'url');
  if (url && /^(job\/[^/?#]+\/)*job\/[^/?#]+\/?$/.test(url)) {
    const path = url.replace(/\/$/, '');
    if (!path.split('/').some(escapes)) return path;
  }
  const parts = readText(payload, 'name')?.split('/').filter(Boolean) ?? [];
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) return undefined;
  return parts.map((p) => `job/${encodeURIComponent(p)}`).join('/');
}

/** The build's parameters as Jenkins takes them back (sensitive ones are never in the payload). */
function parametersOf(payload: unknown): URLSearchParams | undefined {
  const raw = readPath(payload, 'build.parameters');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (['string', 'number', 'boolean'].includes(typeof v)) form.append(k, String(v));
  return [...form.keys()].length > 0 ? form : undefined;
}

async function send(call: JenkinsCall, timeoutMs: number): Promise<Response | ApiOutcome> {
  const host = new URL(call.url).host;
  try {
    return await fetch(call.url, {
      method: call.method,
      headers: { 'user-agent': 'hookbridge', ...call.headers },
      ...(call.body !== undefined && { body: call.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, detail: timedOut ? `${call.what}: ${host} did not answer within ${Math.round(timeoutMs / 1000)}s` : `${call.what}: could not reach ${host}` };
  }
}

// Jenkins answers errors with HTML pages, so the reason comes from the status, never the body.
const reasons: Readonly<Record<number, string>> = {
  400: 'Jenkins refused the request; do the job parameters still match?',
  401: 'the user or API token was not accepted',
  403: 'the user may not build this job',
  404: 'no such job on this Jenkins',
};

/** The body is never read (see above); dropping it frees the connection at once. */
function release(res: Response): void {
  res.body?.cancel().catch(() => undefined);
}

function outcomeOf(call: JenkinsCall, res: Response): ApiOutcome {
  release(res);
  const host = new URL(call.url).host;
  if (res.ok) return { ok: true, detail: `${call.what} requested (${host} answered ${res.status})` };
  const why = reasons[res.status];
  return { ok: false, detail: `${call.what}: ${host} answered ${res.status}${why ? ` (${why})` : ''}` };
}

/** Crumb header and session cookie; Jenkins ties a crumb to the session it was issued in. */
async function crumbHeaders(base: string, authorization: string, timeoutMs: number): Promise<Record<string, string> | undefined> {
  const res = await send({ url: `${base}/crumbIssuer/api/json`, method: 'GET', headers: { authorization, accept: 'application/json' }, what: 'CSRF crumb' }, timeoutMs);
  if (!(res instanceof Response)) return undefined;
  if (!res.ok) {
    release(res);
    return undefined;
  }
  const body = (await res.json().catch(() => undefined)) as { crumb?: unknown; crumbRequestField?: unknown } | undefined;
  const { crumb, crumbRequestField: field } = body ?? {};
  if (typeof crumb !== 'string' || typeof field !== 'string' || !/^[A-Za-z0-9-]+$/.test(field)) return undefined;
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!.trim()).filter(Boolean).join('; ');
  return { [field.toLowerCase()]: crumb, ...(cookie && { cookie }) };
}

/**
 * Builds without a crumb first: API-token requests need none. A 403 may mean CSRF protection wants
 * one, so a crumb is fetched and the build asked for once more; without a crumb issuer the 403 stands.
 */
async function buildAgain(call: JenkinsCall, base: string, timeoutMs: number): Promise<ApiOutcome> {
  const first = await send(call, timeoutMs);
  if (!(first instanceof Response)) return first;
  if (first.status !== 403) return outcomeOf(call, first);
  release(first);
  const crumb = await crumbHeaders(base, call.headers.authorization!, timeoutMs);
  if (!crumb) return outcomeOf(call, first);
  const second = await send({ ...call, headers: { ...call.headers, ...crumb } }, timeoutMs);
  return second instanceof Response ? outcomeOf(call, second) : second;
}

/**
 * Jenkins: build the job again (POST /job/{name}/build, or …/buildWithParameters with the
 * build's parameters). The token is `user:apiToken`, sent as Basic auth.
 */
export function jenkinsRetry(event: StoredEvent, api: ApiConfig | undefined): RetryPlan | undefined {
  const job = jenkinsJobPath(event.payload);
  if (!job) return undefined;
  if (!api?.token) return noToken(event.source, 'build Jenkins jobs again');
  if (!/^[^:]+:.+$/.test(api.token)) {
    return { kind: 'unavailable', why: `the \`api.token\` of source \`${event.source}\` must be \`user:apiToken\` (the Jenkins user and one of their API tokens)` };
  }
  const base = trimSlash(api.url);
  const params = parametersOf(event.payload);
  const label = job.split('/').filter((_, i) => i % 2 === 1).map(decodeURIComponent).join('/');
  const call: JenkinsCall = {
    url: `${base}/${job}/${params ? 'buildWithParameters' : 'build'}`,
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(api.token).toString('base64')}`,
      ...(params && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(params && { body: params.toString() }),
    what: `new build of ${label}${params ? ' with the same parameters' : ''}`,
  };
  return { kind: 'run', run: (timeoutMs) => buildAgain(call, base, timeoutMs) };
}
