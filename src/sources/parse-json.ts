import { MalformedRequestError, type RawRequest } from './types.js';

/** The default `parse`: the verified body as JSON; a body that is not JSON is a 400. */
export function parseJson(req: RawRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new MalformedRequestError('body is not valid JSON');
  }
}
