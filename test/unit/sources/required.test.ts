import { describe, expect, it } from 'vitest';
import { requireHeader, requireText } from '../../../src/sources/required.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { rawRequest } from './raw-request.js';

describe('requireHeader / requireText', () => {
  it('returns what is there', () => {
    expect(requireHeader(rawRequest('', { 'x-github-event': ' push ' }), 'X-GitHub-Event')).toBe('push');
    expect(requireText({ id: 7 }, 'id')).toBe('7');
  });

  it('names what is missing, as a MalformedRequestError', () => {
    expect(() => requireHeader(rawRequest(''), 'X-GitHub-Event')).toThrow(new MalformedRequestError('missing X-GitHub-Event header'));
    expect(() => requireHeader(rawRequest('', { 'x-github-event': '' }), 'X-GitHub-Event')).toThrow(MalformedRequestError);
    expect(() => requireText({}, 'type')).toThrow(MalformedRequestError);
  });
});
