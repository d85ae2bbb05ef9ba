import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeActionId } from '../../src/interact/action-id.js';
import { messageState } from '../../src/interact/message-state.js';
import { postedCopies, postPipeline, postWorkflowRun, sendSlack, SLACK_ADMIN, slackClick, slackSignature, slackSlash, startChatOps, type ChatOps } from './interact-harness.js';

let c: ChatOps;
beforeEach(async () => {
  c = await startChatOps();
});
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const text = (body: unknown) => JSON.stringify(body);

describe('POST /slack/events: verification', () => {
  const form = () => slackSlash('status', { responseId: 'v', c });

  it('answers 401 to unsigned, forged, stale and future requests, and processes none of them', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await sendSlack(c, form(), { signature: null })).status).toBe(401);
    expect((await sendSlack(c, form(), { secret: 'not-the-secret' })).status).toBe(401);
    expect((await sendSlack(c, form(), { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await sendSlack(c, form(), { ts: now - 6 * 60 })).status).toBe(401);
    expect((await sendSlack(c, form(), { ts: now + 6 * 60 })).status).toBe(401);
    const body = new URLSearchParams(form()).toString();
    const res = await fetch(`${c.app.url}/slack/events`, {
      method: 'POST',
      body: `${body}&text=mute`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(body, now) },
    });
    expect(res.status).toBe(401);
    await c.app.hb.interactions.drain();
    expect(c.slack.responses('v')).toEqual([]);
  });

  it('accepts a request within the 5-minute window either way', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await sendSlack(c, form(), { ts: now - 4 * 60 })).status).toBe(200);
    expect((await sendSlack(c, form(), { ts: now + 4 * 60 })).status).toBe(200);
  });

  it('answers 400 to a signed body that is neither a command nor an interaction', async () => {
    expect((await sendSlack(c, { hello: 'world' })).status).toBe(400);
    expect((await sendSlack(c, { payload: '{not json' })).status).toBe(400);
  });
});

describe('Slack buttons', () => {
  it('ack updates every copy on both platforms; a second ack is answered privately with who acked first', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel, discordId } = await postedCopies(c, id);
    const ackId = encodeActionId('ack', { source: 'gh', id });

    const first = await sendSlack(c, slackClick(ackId, { channel: slackChannel, ts: slackTs, c }));
    expect(first).toEqual({ status: 200, text: '' });
    await wait(() => {
      expect(text(c.slack.calls('chat.update').at(-1))).toContain('Acknowledged by ana');
      expect(text(c.discord.calls('PATCH', new RegExp(`/messages/${discordId}$`)).at(-1))).toContain('Acknowledged by ana');
    });
    const update = c.slack.calls('chat.update').at(-1)!;
    expect(update).toMatchObject({ channel: slackChannel, ts: slackTs });
    // Slack cannot disable a button, so the Ack button gives way; the others stay.
    expect(text(update.blocks)).not.toContain(ackId);
    expect(text(update.blocks)).toContain(encodeActionId('retry', { source: 'gh', id }));
    const discordEdit = c.discord.calls('PATCH', new RegExp(`/messages/${discordId}$`)).at(-1)!;
    expect(text(discordEdit.components)).toMatch(/"label":"Acked by ana"[^}]*"disabled":true|"disabled":true[^}]*"label":"Acked by ana"/);

    await sendSlack(c, slackClick(ackId, { user: 'U0BOB', name: 'bob', channel: slackChannel, ts: slackTs, c }));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(c.slack.calls('chat.postEphemeral')[0]).toMatchObject({ channel: slackChannel, user: 'U0BOB', text: expect.stringContaining('Already acknowledged by ana') });
    expect(c.slack.calls('chat.update')).toHaveLength(1);
  });

  it('keeps the ack in the message state of later events of the same lifecycle', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    await sendSlack(c, slackClick(encodeActionId('ack', { source: 'gh', id }), { channel: slackChannel, ts: slackTs, c }));
    await wait(() => expect(c.slack.calls('chat.update')).toHaveLength(1));
    const later = await postWorkflowRun(c, { conclusion: 'success' });
    await wait(() => expect(c.slack.calls('chat.update').length).toBeGreaterThanOrEqual(2));
    const event = await c.app.hb.store.events.get({ source: 'gh', id: later });
    const s = await messageState(c.app.hb.store)(event!);
    expect(s.ackedBy).toBe('ana');
    expect(s.status.join('\n')).toContain('Acknowledged by ana');
    // The update the later event made still shows the ack.
    await wait(() => expect(JSON.stringify(c.slack.calls('chat.update').at(-1)?.blocks)).toContain('Acknowledged by ana'));
  });

  it('mute silences the source for an hour and says so on the message', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    await sendSlack(c, slackClick(encodeActionId('mute', { source: 'gh', id }), { channel: slackChannel, ts: slackTs, c }));
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toMatch(/gh muted by ana until/));
    const mute = await c.app.hb.store.mutes.get('gh');
    expect(mute?.by).toBe('ana');
    expect(Date.parse(mute!.until) - Date.now()).toBeGreaterThan(59 * 60_000);
  });

  it('mute is for admins: anyone else is refused privately and nothing is muted; Ack stays open to all', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    const carol = { user: 'U0CAROL', name: 'carol', channel: slackChannel, ts: slackTs, c };
    await sendSlack(c, slackClick(encodeActionId('mute', { source: 'gh', id }), carol));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(c.slack.calls('chat.postEphemeral')[0]).toMatchObject({ user: 'U0CAROL', text: expect.stringContaining('Mute is for hookbridge admins only') });
    expect(await c.app.hb.store.mutes.get('gh')).toBeUndefined();
    expect(c.slack.calls('chat.update')).toHaveLength(0);
    await sendSlack(c, slackClick(encodeActionId('ack', { source: 'gh', id }), carol));
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Acknowledged by carol'));
    expect((await c.app.hb.store.kv.get<{ action: string }[]>('audit:log'))?.map((a) => a.action)).toEqual(['ack']);
  });

  it('acts only on the event the clicked message shows: a button id naming another source or event is refused', async () => {
    const gh = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, gh);
    const other = await postPipeline(c);
    await postedCopies(c, other, 'gl');
    const updates = c.slack.calls('chat.update').length;
    const onGhMessage = (actionId: string) => sendSlack(c, slackClick(actionId, { channel: slackChannel, ts: slackTs, c }));
    await onGhMessage(encodeActionId('mute', { source: 'gl', id: other }));
    await onGhMessage(encodeActionId('ack', { source: 'gl', id: other }));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(2));
    for (const answer of c.slack.calls('chat.postEphemeral')) expect(String(answer.text)).toContain('not the event of this message');
    expect(await c.app.hb.store.mutes.get('gl')).toBeUndefined();
    const event = await c.app.hb.store.events.get({ source: 'gl', id: other });
    expect((await messageState(c.app.hb.store)(event!)).ackedBy).toBeUndefined();
    expect(c.slack.calls('chat.update')).toHaveLength(updates);
    expect(await c.app.hb.store.kv.get('audit:log')).toBeUndefined();
  });

  it('answers a click through its response_url when Slack refuses the bot in that channel', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    c.slack.failNext(1, 'platform_error', { error: 'not_in_channel', method: 'chat.postEphemeral' });
    await sendSlack(c, slackClick(encodeActionId('resolve', { source: 'gh', id }), { channel: slackChannel, ts: slackTs, responseId: 'nic', c }));
    await wait(() => expect(c.slack.responses('nic')).toHaveLength(1));
    expect(c.slack.responses('nic')[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('Resolve is not available') });
  });

  it('answers bad buttons privately: unknown action, expired event, resolve not available', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    const click = (actionId: string) => sendSlack(c, slackClick(actionId, { channel: slackChannel, ts: slackTs, c }));
    expect((await click('hb:explode:gh:1')).status).toBe(200);
    expect((await click(encodeActionId('ack', { source: 'gh', id: 'gone-from-the-log' }))).status).toBe(200);
    expect((await click(encodeActionId('ack', { source: 'nosuch', id }))).status).toBe(200);
    expect((await click(encodeActionId('resolve', { source: 'gh', id }))).status).toBe(200);
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(4));
    const answers = c.slack.calls('chat.postEphemeral').map((b) => String(b.text)).sort();
    expect(answers.join('\n')).toContain('unknown action');
    expect(answers.join('\n')).toContain('expired from the event log');
    expect(answers.join('\n')).toContain('`nosuch`');
    expect(answers.join('\n')).toContain('Resolve is not available');
    expect(c.slack.calls('chat.update')).toHaveLength(0);
  });
});

describe('Slack slash commands', () => {
  it('acks with an empty 200 and answers through the response_url', async () => {
    const r = await sendSlack(c, slackSlash('help', { responseId: 'h', c }));
    expect(r).toEqual({ status: 200, text: '' });
    await wait(() => expect(c.slack.responses('h')).toHaveLength(1));
    expect(c.slack.responses('h')[0]).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('unmute') });
  });

  it('answers from the bot, privately, when Slack refuses the response_url (expired or used up)', async () => {
    c.slack.failNext(1, 'server_error', { method: '/response/gone', status: 404 });
    await sendSlack(c, slackSlash('help', { responseId: 'gone', c }));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(c.slack.calls('chat.postEphemeral')[0]).toMatchObject({ channel: 'C0CI', user: SLACK_ADMIN, text: expect.stringContaining('unmute') });
  });

  it('mute / unmute for admins, with duration and reason; a refusal for anyone else', async () => {
    await sendSlack(c, slackSlash('mute gh 2h deploy freeze', { responseId: 'm', c }));
    await wait(() => expect(c.slack.responses('m')).toHaveLength(1));
    expect(String(c.slack.responses('m')[0]!.text)).toContain('Muted `gh` for 2h');
    expect(await c.app.hb.store.mutes.get('gh')).toMatchObject({ by: 'boss', reason: 'deploy freeze' });

    await sendSlack(c, slackSlash('unmute gh', { responseId: 'x', user: 'U0NOBODY', c }));
    await wait(() => expect(c.slack.responses('x')).toHaveLength(1));
    expect(String(c.slack.responses('x')[0]!.text)).toContain('for hookbridge admins only');
    expect(await c.app.hb.store.mutes.get('gh')).toBeDefined();

    await sendSlack(c, slackSlash('unmute gh', { responseId: 'u', c }));
    await wait(() => expect(c.slack.responses('u')).toHaveLength(1));
    expect(String(c.slack.responses('u')[0]!.text)).toContain('Unmuted `gh`');
    expect(await c.app.hb.store.mutes.get('gh')).toBeUndefined();
  });

  it('reads command text as Slack escapes it: a reason with & < > is kept as typed and shown once escaped', async () => {
    await sendSlack(c, slackSlash('mute gh 2h R&amp;D &lt;freeze&gt;', { responseId: 'esc', c }));
    await wait(() => expect(c.slack.responses('esc')).toHaveLength(1));
    expect((await c.app.hb.store.mutes.get('gh'))?.reason).toBe('R&D <freeze>');
    expect(String(c.slack.responses('esc')[0]!.text)).toContain('Reason: R&amp;D &lt;freeze&gt;');
  });

  it('rejects a malformed duration and an unknown source clearly', async () => {
    await sendSlack(c, slackSlash('mute gh 30x oops', { responseId: 'd', c }));
    await sendSlack(c, slackSlash('mute nosuch 1h', { responseId: 's', c }));
    await sendSlack(c, slackSlash('frobnicate', { responseId: 'f', c }));
    await wait(() => expect([...c.slack.responses('d'), ...c.slack.responses('s'), ...c.slack.responses('f')]).toHaveLength(3));
    expect(String(c.slack.responses('d')[0]!.text)).toContain('`30x` is not a valid duration');
    expect(String(c.slack.responses('s')[0]!.text)).toContain('Unknown source `nosuch`');
    expect(String(c.slack.responses('f')[0]!.text)).toContain('Unknown command `frobnicate`');
    expect(await c.app.hb.store.mutes.list()).toEqual([]);
  });

  it('answers words that name Object.prototype members as unknown commands', async () => {
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      await sendSlack(c, slackSlash(word, { responseId: `p-${word}`, c }));
      await wait(() => expect(c.slack.responses(`p-${word}`)).toHaveLength(1));
      expect(String(c.slack.responses(`p-${word}`)[0]!.text)).toContain(`Unknown command \`${word.toLowerCase()}\``);
    }
  });

  it('status lists sources, mutes with who set them, and the queue', async () => {
    await postedCopies(c, await postWorkflowRun(c));
    await sendSlack(c, slackSlash('mute gl 30m', { responseId: 'm', c }));
    await wait(() => expect(c.slack.responses('m')).toHaveLength(1));
    await sendSlack(c, slackSlash('status', { responseId: 'st', user: 'U0ANYONE', c }));
    await wait(() => expect(c.slack.responses('st')).toHaveLength(1));
    const s = String(c.slack.responses('st')[0]!.text);
    expect(s).toMatch(/`gh`: last event \d{4}-\d\d-\d\d \d\d:\d\d UTC; 1 in 24h, 1 in the log/);
    expect(s).toContain('`gl`: no events yet');
    expect(s).toMatch(/`gl` until .* by boss/);
    expect(s).toContain('0 dead letters');
  });
});
