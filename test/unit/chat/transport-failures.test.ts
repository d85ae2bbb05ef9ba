import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordTarget } from '../../../src/chat/discord.js';
import { createSlackTarget } from '../../../src/chat/slack.js';
import { ChatError, type ChatTarget } from '../../../src/chat/target.js';
import type { NeutralMessage } from '../../../src/render/message.js';
import { FakeSlack } from '../../helpers/fake-slack.js';

const msg: NeutralMessage = { title: 'CI failed', severity: 'error', fields: [], actions: [], fallback: 'CI failed' };

async function chatError(call: Promise<unknown>): Promise<ChatError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ChatError);
  return err as ChatError;
}

describe('Slack answers that are passing, not final (real WebClient against fake Slack)', () => {
  let slack: FakeSlack;
  let target: ChatTarget;
  beforeEach(async () => {
    slack = await FakeSlack.start({ token: 'xoxb-t' });
    target = createSlackTarget({ token: 'xoxb-t', apiUrl: slack.url, timeoutMs: 1000 });
  });
  afterEach(() => slack.close());

  it('an HTTP-date Retry-After is a rate limit that waits until that date', async () => {
    const until = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000);
    // The fake writes the option into the header as given.
    slack.failNext(1, 'rate_limit', { retryAfterSec: until.toUTCString() as unknown as number });
    const e = await chatError(target.post('#ci', msg));
    expect([e.reason, e.retryable]).toEqual(['rate_limited', true]);
    expect(e.retryAfterMs).toBeGreaterThan(25_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('a workspace in migration (team_added_to_org) is passing', async () => {
    slack.failNext(1, 'platform_error', { error: 'team_added_to_org' });
    const e = await chatError(target.post('#ci', msg));
    expect([e.reason, e.retryable]).toEqual(['server_error', true]);
  });

  it('an unreadable Retry-After is still a retryable rate limit', async () => {
    slack.failNext(1, 'rate_limit', { retryAfterSec: 'soon' as unknown as number });
    const e = await chatError(target.post('#ci', msg));
    expect([e.reason, e.retryable, e.retryAfterMs]).toEqual(['rate_limited', true, undefined]);
  });
});

describe('an answer that is not HTTP (a broken proxy) is a passing network failure', () => {
  let server: Server;
  let base: string;
  beforeEach(async () => {
    server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 abc\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('Slack', async () => {
    const e = await chatError(createSlackTarget({ token: 'xoxb-t', apiUrl: `${base}/api/`, timeoutMs: 1000 }).post('#ci', msg));
    expect([e.reason, e.retryable]).toEqual(['network', true]);
  });

  it('Discord', async () => {
    const e = await chatError(createDiscordTarget({ token: 't', apiUrl: `${base}/api`, timeoutMs: 1000 }).post('111222333444555666', msg));
    expect([e.reason, e.retryable]).toEqual(['network', true]);
  });
});
