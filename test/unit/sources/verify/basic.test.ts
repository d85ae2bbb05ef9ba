import { describe, expect, it } from 'vitest';
import { basicHeader, decodeBasic, verifyBasic } from '../../../../src/sources/verify/basic.js';
import { rawRequest } from '../raw-request.js';

const creds = [{ username: 'alertmanager', password: 'p@ss:word' }];
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('verifyBasic', () => {
  it.each([
    ['right credentials', basicHeader(creds[0]!), { ok: true }],
    ['scheme in lower case', `basic ${b64('alertmanager:p@ss:word')}`, { ok: true }],
    ['wrong password', `Basic ${b64('alertmanager:wrong')}`, { ok: false, reason: 'mismatch' }],
    ['wrong user', `Basic ${b64('someone:p@ss:word')}`, { ok: false, reason: 'mismatch' }],
    ['password cut at its colon', `Basic ${b64('alertmanager:p@ss')}`, { ok: false, reason: 'mismatch' }],
    ['no colon', `Basic ${b64('alertmanager')}`, { ok: false, reason: 'malformed' }],
    ['not base64', 'Basic !!!', { ok: false, reason: 'malformed' }],
    ['bearer instead', 'Bearer p@ss:word', { ok: false, reason: 'malformed' }],
    ['no header', undefined, { ok: false, reason: 'missing' }],
  ])('%s', (_name, header, expected) => {
    expect(verifyBasic(rawRequest('{}', { authorization: header }), creds)).toEqual(expected);
  });

  it('accepts any of several credentials', () => {
    const two = [...creds, { username: 'new', password: 'n' }];
    expect(verifyBasic(rawRequest('{}', { authorization: basicHeader({ username: 'new', password: 'n' }) }), two)).toEqual({ ok: true });
  });
});

describe('decodeBasic', () => {
  it('keeps colons in the password', () => {
    expect(decodeBasic(b64('u:a:b'))).toEqual({ username: 'u', password: 'a:b' });
  });
});
