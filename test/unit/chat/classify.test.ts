import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classify, classifyStatus, redact } from '../../../src/chat/classify.js';
import { ChatError } from '../../../src/chat/target.js';

const noBody = { body: undefined, files: undefined };
const url = 'https://discord.test/api/v10/channels/1/messages';

/** Every status with its expected retry decision (the table Alertmanager's RetryTests enumerates). */
function expectedRetry(status: number): boolean | undefined {
  if (status < 300) return undefined;
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status < 600);
}
const statuses = Array.from({ length: 500 }, (_, i) => i + 100);

describe('classifyStatus', () => {
  it.each(statuses)('HTTP %i has the expected retry decision', (status) => {
    expect(classifyStatus(status)?.retryable).toBe(expectedRetry(status));
  });

  it.each([
    [401, 'auth_error'], [403, 'auth_error'], [404, 'not_found'], [410, 'not_found'], [408, 'timeout'],
    [413, 'invalid_message'], [400, 'client_error'], [422, 'client_error'], [429, 'rate_limited'],
    [500, 'server_error'], [502, 'server_error'], [503, 'server_error'], [504, 'server_error'],
  ] as const)('HTTP %i is %s', (status, reason) => expect(classifyStatus(status)?.reason).toBe(reason));
});

describe('classify over HTTP errors of both SDKs', () => {
  it.each(statuses.filter((s) => s >= 400))('Slack WebAPIHTTPError %i', (status) => {
    const e = classify(new WebAPIHTTPError(status, 'x', {}, ''));
    expect(e.retryable).toBe(expectedRetry(status));
    expect(e.message).toBe(`slack: HTTP ${status}`);
  });

  it.each(statuses.filter((s) => s >= 500))('discord HTTPError %i', (status) => {
    expect(classify(new HTTPError(status, 'x', 'POST', url, noBody)).retryable).toBe(true);
  });

  it.each(statuses.filter((s) => s >= 400 && s < 500))('DiscordAPIError %i', (status) => {
    const e = classify(new DiscordAPIError({ code: 0, message: 'nope' }, 0, status, 'POST', url, noBody));
    expect(e.retryable).toBe(expectedRetry(status));
  });
});

describe('classify over platform answers', () => {
  it.each([
    ['channel_not_found', 'not_found', false],
    ['not_in_channel', 'not_found', false],
    ['message_not_found', 'not_found', false],
    ['invalid_auth', 'auth_error', false],
    ['not_authed', 'auth_error', false],
    ['token_revoked', 'auth_error', false],
    ['missing_scope', 'auth_error', false],
    ['msg_too_long', 'invalid_message', false],
    ['invalid_blocks', 'invalid_message', false],
    ['ratelimited', 'rate_limited', true],
    ['internal_error', 'server_error', true],
    ['fatal_error', 'server_error', true],
    ['request_timeout', 'timeout', true],
    ['cant_update_message', 'client_error', false],
    ['something_new', 'client_error', false],
  ] as const)('Slack %s is %s (retryable %s)', (code, reason, retryable) => {
    const e = classify(new WebAPIPlatformError({ ok: false, error: code }));
    expect([e.reason, e.retryable, e.message]).toEqual([reason, retryable, `slack: ${code}`]);
  });

  it('Slack rate limit carries Retry-After in ms', () => {
    const e = classify(new WebAPIRateLimitedError(7));
    expect([e.reason, e.retryable, e.retryAfterMs]).toEqual(['rate_limited', true, 7000]);
  });

  it('Slack 429 as an HTTP error reads the retry-after header', () => {
    const e = classify(new WebAPIHTTPError(429, 'Too Many', { 'retry-after': '2' }, ''));
    expect([e.reason, e.retryAfterMs]).toEqual(['rate_limited', 2000]);
  });

  it.each([
    [10003, 404, 'not_found', false],
    [10008, 404, 'not_found', false],
    [50001, 403, 'auth_error', false],
    [50013, 403, 'auth_error', false],
    [50035, 400, 'invalid_message', false],
    [0, 401, 'auth_error', false],
  ] as const)('Discord code %i (HTTP %i) is %s', (code, status, reason, retryable) => {
    const e = classify(new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', url, noBody));
    expect([e.reason, e.retryable]).toEqual([reason, retryable]);
  });

  it.each([
    [false, 'user', 1250, 0, 1250],
    [true, 'global', 3000, 2900, 3000],
    [false, 'shared', 0, 800, 800],
  ] as const)('Discord RateLimitError global=%s scope=%s waits the longer of retryAfter and reset', (global, scope, retryAfter, timeToReset, expected) => {
    const e = classify(
      new RateLimitError({
        global, scope, retryAfter, timeToReset, limit: 5, method: 'POST', hash: 'h', url,
        route: '/channels/:id/messages', majorParameter: '1', sublimitTimeout: 0,
      }),
    );
    expect([e.reason, e.retryable, e.retryAfterMs]).toEqual(['rate_limited', true, expected]);
  });
});

describe('classify over transport failures', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const fetchFailed = new TypeError('fetch failed', { cause: refused });
  const abort = new DOMException('This operation was aborted', 'AbortError');
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  const headers = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });

  it.each([
    ['fetch failed (ECONNREFUSED cause)', fetchFailed, 'network'],
    ['bare ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network'],
    ['AbortError (discord.js timeout)', abort, 'timeout'],
    ['TimeoutError (AbortSignal.timeout)', timeout, 'timeout'],
    ['undici headers timeout', headers, 'timeout'],
    ['Slack request error wrapping fetch failed', new WebAPIRequestError(fetchFailed), 'network'],
    ['Slack request error wrapping a timeout', new WebAPIRequestError(timeout), 'timeout'],
  ] as const)('%s is retryable %s', (_, err, reason) => {
    const e = classify(err);
    expect([e.reason, e.retryable]).toEqual([reason, true]);
  });

  it('an unknown error is a non-retryable client error that keeps its text', () => {
    const e = classify(new TypeError('Cannot read properties of undefined'));
    expect([e.reason, e.retryable, e.message]).toEqual(['client_error', false, 'TypeError: Cannot read properties of undefined']);
  });

  it('passes a ChatError through unchanged and keeps the SDK error as cause', () => {
    const original = new ChatError('x', 'network', true);
    expect(classify(original)).toBe(original);
    const sdk = new WebAPIRateLimitedError(1);
    expect(classify(sdk).cause).toBe(sdk);
  });
});

describe('redact', () => {
  it.each([
    'invalid token xoxb-1234-5678-abcdEFGH',
    'Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123',
    'bad MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456',
  ])('leaves no token in %j', (text) => {
    const out = redact(text);
    expect(out).not.toMatch(/xoxb-1234|abcdefghijklmnop/);
  });

  it('an unknown error carrying a token is redacted', () => {
    expect(classify(new Error('boom xoxp-99-88-secret')).message).not.toContain('secret');
  });
});
