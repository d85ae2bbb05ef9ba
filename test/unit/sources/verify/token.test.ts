import { describe, expect, it } from 'vitest';
import { readAuthorization, verifyBearer, verifyToken, verifyTokenHeader } from '../../../../src/sources/verify/token.js';
import { rawRequest } from '../raw-request.js';

const secrets = ['current-token', 'previous-token'];

describe('verifyToken', () => {
  it.each([
    ['the current token', 'current-token', { ok: true }],
    ['the previous token (rotation)', 'previous-token', { ok: true }],
    ['a wrong token', 'wrong-token', { ok: false, reason: 'mismatch' }],
    ['a prefix of the token', 'current', { ok: false, reason: 'mismatch' }],
    ['a longer token', 'current-token-x', { ok: false, reason: 'mismatch' }],
    ['an empty token', '', { ok: false, reason: 'missing' }],
    ['no token', undefined, { ok: false, reason: 'missing' }],
  ])('%s', (_name, presented, expected) => expect(verifyToken(presented, secrets)).toEqual(expected));
});

describe('verifyBearer', () => {
  it.each([
    ['Bearer current-token', { ok: true }],
    ['bearer previous-token', { ok: true }],
    ['Bearer   current-token  ', { ok: true }],
    ['Bearer wrong', { ok: false, reason: 'mismatch' }],
    ['Basic Y3VycmVudC10b2tlbg==', { ok: false, reason: 'malformed' }],
    ['current-token', { ok: false, reason: 'malformed' }],
    ['Bearer', { ok: false, reason: 'malformed' }],
    [undefined, { ok: false, reason: 'missing' }],
    ['', { ok: false, reason: 'missing' }],
  ])('Authorization: %j', (header, expected) => {
    expect(verifyBearer(rawRequest('{}', { authorization: header }), secrets)).toEqual(expected);
  });
});

describe('verifyTokenHeader', () => {
  it('reads the token from the named header, case-insensitively', () => {
    expect(verifyTokenHeader(rawRequest('{}', { 'x-gitlab-token': 'current-token' }), 'X-Gitlab-Token', secrets)).toEqual({ ok: true });
    expect(verifyTokenHeader(rawRequest('{}', { 'x-gitlab-token': 'nope' }), 'x-gitlab-token', secrets)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTokenHeader(rawRequest('{}'), 'x-gitlab-token', secrets)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('readAuthorization', () => {
  it('splits scheme and credentials', () => {
    expect(readAuthorization(rawRequest('', { authorization: 'BEARER abc def' }))).toEqual({ scheme: 'bearer', credentials: 'abc def' });
  });
});
