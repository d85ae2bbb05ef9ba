/** One provider API call made by an action. */
export interface ApiRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Names the call for people: "GitHub re-run of run 42". */
  readonly what: string;
}

export interface ApiOutcome {
  readonly ok: boolean;
  /** For people: never a token, never the full URL (it may carry one). */
  readonly detail: string;
  /** The answer's JSON on success, for calls whose answer names what was made (a silence id). */
  readonly json?: unknown;
  /** The HTTP status, when the provider answered at all. */
  readonly status?: number;
}

/** Calls a provider API with a deadline; every failure comes back as an outcome, never a throw. */
export async function callApi(req: ApiRequest, timeoutMs: number, secrets: readonly string[] = []): Promise<ApiOutcome> {
  const host = safeHost(req.url);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: { 'user-agent': 'hookbridge', ...req.headers },
      ...(req.body !== undefined && { body: req.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.ok) {
      const json = await res.json().catch(() => undefined);
      return { ok: true, status: res.status, detail: `${req.what} requested (${host} answered ${res.status})`, ...(json !== undefined && { json }) };
    }
    const why = await errorMessage(res);
    return { ok: false, status: res.status, detail: scrub(`${req.what}: ${host} answered ${res.status}${why ? ` (${why})` : ''}`, secrets) };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, detail: timedOut ? `${req.what}: ${host} did not answer within ${Math.round(timeoutMs / 1000)}s` : `${req.what}: could not reach ${host}` };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

/**
 * GitHub, GitLab and Opsgenie answer errors as JSON with `message`, PagerDuty with `error.message`,
 * Sentry with `detail`, Alertmanager sometimes with a bare string; other APIs get their text's first line.
 */
async function errorMessage(res: Response): Promise<string> {
  const text = (await res.text().catch(() => '')).trim();
  try {
    const parsed = JSON.parse(text) as unknown;
    // Alertmanager (go-swagger) answers some errors as a bare JSON string.
    if (typeof parsed === 'string') return parsed.slice(0, 200);
    const body = parsed as { message?: unknown; error?: unknown; detail?: unknown };
    const nested = body.error !== null && typeof body.error === 'object' ? (body.error as { message?: unknown }).message : undefined;
    const m = body.message ?? nested ?? body.error ?? body.detail;
    if (typeof m === 'string') return m.slice(0, 200);
  } catch {
    // not JSON
  }
  return text.split('\n')[0]!.slice(0, 200);
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}
