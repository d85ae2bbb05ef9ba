/**
 * An error with the HTTP status it answers with. `expose` (true below 500, as in Koa) decides
 * whether the message reaches the client; it must never contain a secret either way.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    /** Closed, low-cardinality label for metrics and logs (e.g. `bad_signature`). */
    readonly code: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly expose = status < 500,
  ) {
    super(message);
  }
}
