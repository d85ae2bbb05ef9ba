import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDiscord } from '../../../src/interact/discord-verify.js';
import { verifySlack } from '../../../src/interact/slack-verify.js';

describe('verifySlack', () => {
  // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const ts = '1531420618';
  const body = Buffer.from(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  const good = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = (offsetSec: number) => (Number(ts) + offsetSec) * 1000;

  it.each([
    ['the documented example', { signature: good }, at(0), undefined],
    ['4 minutes later', { signature: good }, at(240), undefined],
    ['6 minutes later (stale)', { signature: good }, at(360), 'stale'],
    ['6 minutes earlier (future)', { signature: good }, at(-360), 'future'],
    ['no signature', { signature: undefined }, at(0), 'missing'],
    ['no timestamp', { signature: good, timestamp: undefined }, at(0), 'missing'],
    ['a v1 signature', { signature: good.replace('v0=', 'v1=') }, at(0), 'malformed'],
    ['a timestamp that is not a number', { signature: good, timestamp: '15314x' }, at(0), 'malformed'],
    ['a flipped digit', { signature: `${good.slice(0, -1)}4` }, at(0), 'mismatch'],
    ['another secret', { signature: good, signingSecret: 'other' }, at(0), 'mismatch'],
  ] as const)('%s', (_name, over, now, expected) => {
    expect(verifySlack({ signingSecret: secret, body, timestamp: ts, ...over }, now)).toBe(expected);
  });

  it('signs the raw form bytes: a re-encoded body fails', () => {
    const raw = Buffer.from('text=a+b&command=%2Fhb');
    const sig = `v0=${createHmac('sha256', 's').update(`v0:${ts}:${raw.toString()}`).digest('hex')}`;
    expect(verifySlack({ signingSecret: 's', body: raw, timestamp: ts, signature: sig }, at(0))).toBeUndefined();
    expect(verifySlack({ signingSecret: 's', body: Buffer.from('text=a%20b&command=%2Fhb'), timestamp: ts, signature: sig }, at(0))).toBe('mismatch');
  });
});

describe('verifyDiscord', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const body = Buffer.from('{"type":1}');
  const ts = '1700000000';
  const sig = sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex');

  it.each([
    ['a good signature', { signature: sig }, undefined],
    ['no signature', { signature: undefined }, 'missing'],
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['not hex', { signature: 'xyz' }, 'malformed'],
    ['another timestamp', { timestamp: '1700000001' }, 'mismatch'],
    ['one extra space in the body', { body: Buffer.from('{"type":1} ') }, 'mismatch'],
    ['another key', { publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') }, 'mismatch'],
  ] as const)('%s', (_name, over, expected) => {
    expect(verifyDiscord({ publicKey: hex, body, timestamp: ts, signature: sig, ...over })).toBe(expected);
  });
});
