import { MalformedRequestError, type RawRequest } from './types.js';

/** JSON text → value; text that is not JSON is a 400. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedRequestError('body is not valid JSON');
  }
}

/** The default `parse`: the verified body as JSON (decoded only now, after the bytes were verified). */
export function parseJson(req: RawRequest): unknown {
  return parseJsonText(req.body.toString('utf8'));
}
