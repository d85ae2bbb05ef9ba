import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/sources/parse-json.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { rawRequest } from './raw-request.js';

describe('parseJson', () => {
  it('parses the body', () => expect(parseJson(rawRequest('{"a":"\\u003c"}'))).toEqual({ a: '<' }));
  it.each(['', '{', 'not json'])('%j is a MalformedRequestError', (body) => {
    expect(() => parseJson(rawRequest(body))).toThrow(MalformedRequestError);
  });
});
