import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordTarget } from '../../src/chat/discord.js';
import { toDiscordMessage } from '../../src/chat/discord-payload.js';
import { createSlackTarget } from '../../src/chat/slack.js';
import { toSlackMessage } from '../../src/chat/slack-blocks.js';
import { ChatError, type ChatTarget } from '../../src/chat/target.js';
import type { NeutralMessage } from '../../src/render/message.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';

const slackToken = 'xoxb-1111-2222-abcdefSECRET';
const discordToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.discordSECRETdiscordSECRET0123';

const failing: NeutralMessage = {
  title: 'CI failed: main',
  text: 'build #42 failed in 3m',
  url: 'https://ci.example/run/42',
  severity: 'error',
  fields: [{ name: 'Branch', value: 'main', inline: true }],
  actions: [
    { action: 'ack', label: 'Ack', id: 'hb:ack:ci/42' },
    { action: 'mute', label: 'Mute 1h', id: 'hb:mute:ci/42' },
  ],
  fallback: 'CI failed: main',
};
const fixed: NeutralMessage = { ...failing, title: 'CI passed: main', severity: 'success', fallback: 'CI passed: main', actions: [] };

/** Runs `call`, expecting a ChatError; returns it. */
async function chatError(call: Promise<unknown>): Promise<ChatError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChatError);
  const e = err as ChatError;
  expect(e.message).not.toMatch(/SECRET/);
  return e;
}

describe('Slack target (real WebClient against fake Slack)', () => {
  let slack: FakeSlack;
  let target: ChatTarget;
  beforeEach(async () => {
    slack = await FakeSlack.start({ token: slackToken });
    target = createSlackTarget({ token: slackToken, apiUrl: slack.url, timeoutMs: 500 });
  });
  afterEach(() => slack.close());

  it('posts to a #channel with the converted blocks and buttons and returns the resolved channel id', async () => {
    const ref = await target.post('#ci', failing);
    expect(ref).toEqual({ platform: 'slack', channel: slack.channelId('#ci'), id: expect.stringMatching(/^\d+\.\d{6}$/) });
    const [req] = slack.requests;
    expect(req?.path).toBe('chat.postMessage');
    expect(req?.headers.authorization).toBe(`Bearer ${slackToken}`);
    expect(req?.body).toMatchObject({ channel: '#ci', ...toSlackMessage(failing) });
    expect(JSON.stringify(req?.body.blocks)).toContain('hb:ack:ci/42');
    expect(JSON.stringify(req?.body.blocks)).toContain('hb:mute:ci/42');
    expect(req?.body.thread_ts).toBeUndefined();
  });

  it('updates the same message in place by channel id and ts', async () => {
    const ref = await target.post('C0123ABCD', failing);
    await target.update(ref, fixed);
    expect(slack.calls('chat.update')).toEqual([{ channel: 'C0123ABCD', ts: ref.id, ...toSlackMessage(fixed) }]);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('replies in the thread with thread_ts', async () => {
    const root = await target.post('#ci', failing);
    const reply = await target.reply(root, fixed);
    const body = slack.calls('chat.postMessage')[1];
    expect(body).toMatchObject({ channel: root.channel, thread_ts: root.id, ...toSlackMessage(fixed) });
    expect(reply.id).not.toBe(root.id);
  });

  it('surfaces a 429 at once as retryable with the Retry-After delay', async () => {
    slack.failNext(1, 'rate_limit', { retryAfterSec: 3 });
    const e = await chatError(target.post('#ci', failing));
    expect([e.reason, e.retryable, e.retryAfterMs]).toEqual(['rate_limited', true, 3000]);
    expect(slack.requests).toHaveLength(1);
  });

  it('surfaces a 500 as retryable without retrying inside the client', async () => {
    slack.failNext(1, 'server_error', { status: 503 });
    const e = await chatError(target.post('#ci', failing));
    expect([e.reason, e.retryable]).toEqual(['server_error', true]);
    expect(slack.requests).toHaveLength(1);
    expect((await target.post('#ci', failing)).id).toBeTruthy();
  });

  it.each([
    ['channel_not_found', 'not_found'],
    ['msg_too_long', 'invalid_message'],
  ] as const)('a platform error %s is %s and final', async (error, reason) => {
    slack.failNext(1, 'platform_error', { error });
    const e = await chatError(target.post('#ci', failing));
    expect([e.reason, e.retryable]).toEqual([reason, false]);
  });

  it('a wrong token is an auth error, not retried', async () => {
    const bad = createSlackTarget({ token: 'xoxb-wrong-SECRET', apiUrl: slack.url, timeoutMs: 500 });
    const e = await chatError(bad.post('#ci', failing));
    expect([e.reason, e.retryable]).toEqual(['auth_error', false]);
  });

  it('a hanging request times out as retryable', async () => {
    slack.failNext(1, 'hang');
    const e = await chatError(target.post('#ci', failing));
    expect([e.reason, e.retryable]).toEqual(['timeout', true]);
  });

  it('a refused connection is a retryable network error', async () => {
    await slack.close();
    const e = await chatError(target.post('#ci', failing));
    expect([e.reason, e.retryable]).toEqual(['network', true]);
    slack = await FakeSlack.start();
  });
});

describe('Discord target (real discord.js REST against fake Discord)', () => {
  let discord: FakeDiscord;
  let target: ChatTarget;
  const channel = '111222333444555666';
  beforeEach(async () => {
    discord = await FakeDiscord.start({ token: discordToken });
    target = createDiscordTarget({ token: discordToken, apiUrl: discord.url, timeoutMs: 500 });
  });
  afterEach(() => discord.close());

  it('posts the converted embeds and buttons to the channel and returns the snowflake', async () => {
    const ref = await target.post(channel, failing);
    expect(ref).toEqual({ platform: 'discord', channel, id: expect.stringMatching(/^\d{17,20}$/) });
    const [req] = discord.requests;
    expect([req?.method, req?.path]).toEqual(['POST', `/channels/${channel}/messages`]);
    expect(req?.headers.authorization).toBe(`Bot ${discordToken}`);
    expect(req?.body).toEqual(JSON.parse(JSON.stringify(toDiscordMessage(failing))));
    expect(JSON.stringify(req?.body.components)).toContain('hb:ack:ci/42');
  });

  it('updates the message in place with PATCH', async () => {
    const ref = await target.post(channel, failing);
    await target.update(ref, fixed);
    const patch = discord.requests[1];
    expect([patch?.method, patch?.path]).toEqual(['PATCH', `/channels/${channel}/messages/${ref.id}`]);
    expect(patch?.body).toEqual(JSON.parse(JSON.stringify(toDiscordMessage(fixed))));
  });

  it('replies with a message reference', async () => {
    const root = await target.post(channel, failing);
    const reply = await target.reply(root, fixed);
    expect(discord.requests[1]?.body.message_reference).toEqual({ message_id: root.id, fail_if_not_exists: false });
    expect(reply).toEqual({ platform: 'discord', channel, id: expect.not.stringMatching(root.id) });
  });

  it('surfaces a 429 at once as retryable with the Retry-After delay', async () => {
    discord.failNext(1, 'rate_limit', { retryAfterSec: 2 });
    const e = await chatError(target.post(channel, failing));
    expect([e.reason, e.retryable]).toEqual(['rate_limited', true]);
    // Retry-After seconds plus REST's small safety offset.
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(e.retryAfterMs).toBeLessThan(2500);
    expect(discord.requests).toHaveLength(1);
  });

  it('a global 429 also rejects the next call without sending it', async () => {
    discord.failNext(1, 'rate_limit', { retryAfterSec: 5, global: true });
    const first = await chatError(target.post(channel, failing));
    const second = await chatError(target.post(channel, failing));
    expect([first.reason, second.reason]).toEqual(['rate_limited', 'rate_limited']);
    expect(second.retryAfterMs).toBeGreaterThan(3000);
    expect(discord.requests).toHaveLength(1);
  });

  it('surfaces a 500 as retryable without retrying inside the client', async () => {
    discord.failNext(1, 'server_error');
    const e = await chatError(target.post(channel, failing));
    expect([e.reason, e.retryable]).toEqual(['server_error', true]);
    expect(discord.requests).toHaveLength(1);
  });

  it('an unknown channel is final', async () => {
    discord.failNext(1, 'api_error', { status: 404, code: 10003, message: 'Unknown Channel' });
    const e = await chatError(target.post(channel, failing));
    expect([e.reason, e.retryable]).toEqual(['not_found', false]);
  });

  it('a 401 is an auth error and does not break later calls', async () => {
    discord.failNext(1, 'api_error', { status: 401, code: 0, message: '401: Unauthorized' });
    const e = await chatError(target.post(channel, failing));
    expect([e.reason, e.retryable]).toEqual(['auth_error', false]);
    await expect(target.post(channel, failing)).resolves.toMatchObject({ channel });
  });

  it('a hanging request times out as retryable', async () => {
    discord.failNext(1, 'hang');
    const e = await chatError(target.post(channel, failing));
    expect([e.reason, e.retryable]).toEqual(['timeout', true]);
  });
});
