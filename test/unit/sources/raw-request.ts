import type { AnySourceType, RawRequest, SignedRequest } from '../../../src/sources/types.js';
import { parseJson } from '../../../src/sources/parse-json.js';

/** A request as the server would hand it over: lower-case header names, the body as bytes. */
export function rawRequest(body: Buffer | string, headers: Record<string, string | undefined> = {}, url = 'https://hooks.example.com/hooks/src'): RawRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { sourceId: 'src', method: 'POST', url: new URL(url), headers: lower, body: Buffer.isBuffer(body) ? body : Buffer.from(body), ip: '127.0.0.1' };
}

export function fromSigned(signed: SignedRequest): RawRequest {
  return rawRequest(signed.body, signed.headers);
}

/** Parse a config through the source's own schema, as the config loader does. */
export function configOf<S extends AnySourceType>(source: S, entry: Record<string, unknown>): Parameters<S['verify']>[1] {
  return source.config.parse({ type: source.type, ...entry });
}

/** parse + describe, the way the pipeline runs them after verify passed. */
export function describeRequest(source: AnySourceType, req: RawRequest, cfg: unknown) {
  const payload = source.parse ? source.parse(req, cfg) : parseJson(req);
  return source.describe(req, payload, cfg);
}

/** Same request with some headers replaced or (undefined) removed. */
export function withHeaders(req: RawRequest, changes: Record<string, string | undefined>): RawRequest {
  const headers = { ...req.headers };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  return { ...req, headers };
}
