import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeActionId } from '../../src/interact/action-id.js';
import { HOOKBRIDGE_COMMAND } from '../../src/interact/discord-commands.js';
import {
  APP_ID, DISCORD_ADMIN_ROLE, DISCORD_CHANNEL, discordClick, discordSlash, discordWebhookCalls, postedCopies, postWorkflowRun, sendDiscord, startChatOps, type ChatOps,
} from './interact-harness.js';

let c: ChatOps;
beforeEach(async () => {
  c = await startChatOps();
});
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const text = (body: unknown) => JSON.stringify(body);

describe('POST /discord/interactions: verification', () => {
  it('answers PING with PONG', async () => {
    expect(await sendDiscord(c, { type: 1, id: '1', application_id: APP_ID })).toEqual({ status: 200, json: { type: 1 } });
  });

  it('answers 401 to unsigned, tampered and wrongly signed requests', async () => {
    const ping = { type: 1, id: '1', application_id: APP_ID };
    expect((await sendDiscord(c, ping, { signature: null })).status).toBe(401);
    expect((await sendDiscord(c, ping, { tamper: true })).status).toBe(401);
    expect((await sendDiscord(c, ping, { key: generateKeyPairSync('ed25519').privateKey })).status).toBe(401);
    expect((await sendDiscord(c, ping, { signature: 'zz' })).status).toBe(401);
  });

  it('answers 401 to a correctly signed request older than an interaction token lives, or from the future', async () => {
    const ping = { type: 1, id: '1', application_id: APP_ID };
    expect(await sendDiscord(c, ping, { ageSeconds: 16 * 60 })).toMatchObject({ status: 401, json: { error: 'request timestamp outside the allowed window (stale)' } });
    expect((await sendDiscord(c, ping, { ageSeconds: -10 * 60 })).status).toBe(401);
    expect((await sendDiscord(c, ping, { ageSeconds: 60 })).status).toBe(200);
  });

  it('a signed request sent again is answered but handled once', async () => {
    const mute = discordSlash('mute', { source: 'gh', duration: '30m', reason: 'first' }, { token: 'dup1' });
    expect((await sendDiscord(c, mute)).status).toBe(200);
    await wait(() => expect(discordWebhookCalls(c, 'dup1').edits).toHaveLength(1));
    expect((await sendDiscord(c, mute, { ageSeconds: 30 })).status).toBe(200);
    // A fresh command after it is handled: the replay went nowhere in between.
    await sendDiscord(c, discordSlash('help', {}, { token: 'dup2' }));
    await wait(() => expect(discordWebhookCalls(c, 'dup2').edits).toHaveLength(1));
    expect(discordWebhookCalls(c, 'dup1').edits).toHaveLength(1);
  });

  it('answers 400 to a signed body that is not an interaction it handles', async () => {
    expect((await sendDiscord(c, [1, 2])).status).toBe(400);
    expect((await sendDiscord(c, { type: 9, application_id: APP_ID })).status).toBe(400);
  });
});

describe('Discord buttons', () => {
  it('ack: deferred update, the clicked copy edited through the interaction, the Slack copy too; second ack private', async () => {
    const id = await postWorkflowRun(c);
    const { discordId } = await postedCopies(c, id);
    const ackId = encodeActionId('ack', { source: 'gh', id });
    const first = await sendDiscord(c, discordClick(ackId, { messageId: discordId, name: 'bo', token: 'a1' }));
    expect(first).toEqual({ status: 200, json: { type: 6 } });
    await wait(() => {
      expect(text(discordWebhookCalls(c, 'a1').edits.at(-1))).toContain('Acknowledged by bo');
      expect(text(c.slack.calls('chat.update').at(-1))).toContain('Acknowledged by bo');
    });
    // The clicked copy went through the interaction webhook, not a second bot edit.
    expect(c.discord.calls('PATCH', new RegExp(`/channels/${DISCORD_CHANNEL}/messages/${discordId}$`))).toHaveLength(0);

    await sendDiscord(c, discordClick(ackId, { messageId: discordId, userId: '500000000000000009', name: 'cy', token: 'a2' }));
    await wait(() => expect(discordWebhookCalls(c, 'a2').followUps).toHaveLength(1));
    expect(discordWebhookCalls(c, 'a2').followUps[0]).toMatchObject({ flags: 64, content: expect.stringContaining('Already acknowledged by bo') });
  });

  it('mute is for admins (by user or role id); anyone else is refused privately', async () => {
    const id = await postWorkflowRun(c);
    const { discordId } = await postedCopies(c, id);
    const muteId = encodeActionId('mute', { source: 'gh', id });
    await sendDiscord(c, discordClick(muteId, { messageId: discordId, roles: ['1'], token: 'n1' }));
    await wait(() => expect(discordWebhookCalls(c, 'n1').followUps).toHaveLength(1));
    expect(discordWebhookCalls(c, 'n1').followUps[0]).toMatchObject({ flags: 64, content: expect.stringContaining('Mute is for hookbridge admins only') });
    expect(await c.app.hb.store.mutes.get('gh')).toBeUndefined();
    await sendDiscord(c, discordClick(muteId, { messageId: discordId, roles: [DISCORD_ADMIN_ROLE], name: 'ro', token: 'n2' }));
    await wait(() => expect(text(discordWebhookCalls(c, 'n2').edits.at(-1))).toContain('gh muted by ro'));
    expect((await c.app.hb.store.mutes.get('gh'))?.by).toBe('ro');
  });

  it('edits the clicked copy with the bot token when the interaction token is refused', async () => {
    const id = await postWorkflowRun(c);
    const { discordId } = await postedCopies(c, id);
    c.discord.failNext(1, 'api_error', { method: 'PATCH', path: /^\/webhooks\//, status: 404, code: 10015, message: 'Unknown Webhook' });
    await sendDiscord(c, discordClick(encodeActionId('ack', { source: 'gh', id }), { messageId: discordId, name: 'bo', token: 'x1' }));
    await wait(() => expect(text(c.discord.calls('PATCH', new RegExp(`/channels/${DISCORD_CHANNEL}/messages/${discordId}$`)).at(-1))).toContain('Acknowledged by bo'));
    expect(discordWebhookCalls(c, 'x1').edits).toHaveLength(1);
  });

  it('answers an unknown button privately', async () => {
    await sendDiscord(c, discordClick('not-ours', { messageId: '123', token: 'u1' }));
    await wait(() => expect(discordWebhookCalls(c, 'u1').followUps).toHaveLength(1));
    expect(discordWebhookCalls(c, 'u1').followUps[0]).toMatchObject({ flags: 64, content: expect.stringContaining('unknown action') });
  });
});

describe('Discord /hookbridge', () => {
  it('answers with an ephemeral deferred reply and fills it in', async () => {
    const r = await sendDiscord(c, discordSlash('help', {}, { token: 'h1' }));
    expect(r.json).toEqual({ type: 5, data: { flags: 64 } });
    await wait(() => expect(discordWebhookCalls(c, 'h1').edits).toHaveLength(1));
    expect(String(discordWebhookCalls(c, 'h1').edits[0]!.content)).toContain('replay');
  });

  it('mute works for an admin role, is refused to others, and a bad duration is an error', async () => {
    await sendDiscord(c, discordSlash('mute', { source: 'gh', duration: '30m', reason: 'noisy' }, { userId: '42', roles: [DISCORD_ADMIN_ROLE], token: 'm1' }));
    await sendDiscord(c, discordSlash('unmute', { source: 'gh' }, { userId: '43', roles: ['1'], token: 'm2' }));
    await sendDiscord(c, discordSlash('mute', { source: 'gl', duration: '30x' }, { token: 'm3' }));
    await wait(() => ['m1', 'm2', 'm3'].forEach((t) => expect(discordWebhookCalls(c, t).edits).toHaveLength(1)));
    expect(String(discordWebhookCalls(c, 'm1').edits[0]!.content)).toContain('Muted `gh` for 30m');
    expect(String(discordWebhookCalls(c, 'm2').edits[0]!.content)).toContain('admins only');
    expect(String(discordWebhookCalls(c, 'm3').edits[0]!.content)).toContain('`30x` is not a valid duration');
    expect((await c.app.hb.store.mutes.get('gh'))?.reason).toBe('noisy');
    expect(await c.app.hb.store.mutes.get('gl')).toBeUndefined();
  });

  it('registers the command with a bulk overwrite, idempotently', async () => {
    await c.app.hb.interactions.registerCommands();
    await c.app.hb.interactions.registerCommands();
    const puts = c.discord.requests.filter((r) => r.method === 'PUT' && r.path === `/applications/${APP_ID}/commands`);
    expect(puts).toHaveLength(2);
    expect(JSON.parse(puts[0]!.raw)).toEqual([HOOKBRIDGE_COMMAND]);
    expect(puts[0]!.headers.authorization).toBe('Bot discord-test');
  });
});
