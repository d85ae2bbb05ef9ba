import { readText } from './read-path.js';
import { MalformedRequestError, type RawRequest } from './types.js';

/** A header the provider always sends; its absence is a malformed request (400), not an auth failure. */
export function requireHeader(req: RawRequest, name: string): string {
  const value = req.headers[name.toLowerCase()]?.trim();
  if (!value) throw new MalformedRequestError(`missing ${name} header`);
  return value;
}

/** A body field the provider always sends, as text. */
export function requireText(payload: unknown, path: string): string {
  const value = readText(payload, path);
  if (value === undefined) throw new MalformedRequestError(`body has no ${path}`);
  return value;
}
