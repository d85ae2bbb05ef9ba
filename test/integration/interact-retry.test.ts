import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeActionId } from '../../src/interact/action-id.js';
import {
  discordClick, discordWebhookCalls, GH_TOKEN, GL_TOKEN, postedCopies, postPipeline, postWorkflowRun, sendDiscord, sendSlack, slackClick, startChatOps, type ChatOps,
} from './interact-harness.js';

let c: ChatOps;
beforeEach(async () => {
  c = await startChatOps();
});
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const text = (body: unknown) => JSON.stringify(body);

async function clickRetry(source: string, id: string) {
  const { slackTs, slackChannel } = await postedCopies(c, id, source);
  await sendSlack(c, slackClick(encodeActionId('retry', { source, id }), { channel: slackChannel, ts: slackTs, c }));
  return { slackTs, slackChannel };
}

describe('Retry', () => {
  it('re-runs the failed jobs of a GitHub workflow run and shows it in the thread and on the message', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await clickRetry('gh', id);
    await wait(() => expect(c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === slackTs)).toHaveLength(1));
    expect(c.api.requests).toHaveLength(1);
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: '/gh/repos/acme/app/actions/runs/42/rerun-failed-jobs' });
    expect(c.api.requests[0]!.headers.authorization).toBe(`Bearer ${GH_TOKEN}`);
    const reply = c.slack.calls('chat.postMessage').find((m) => m.thread_ts === slackTs)!;
    expect(reply).toMatchObject({ channel: slackChannel, text: expect.stringContaining('Retry by ana: re-run of the failed jobs of acme/app run 42 requested') });
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry again'));
  });

  it('shows a failed GitHub call with its reason and never the token', async () => {
    c.api.answerNext(403, { message: `Resource not accessible by integration (token ${GH_TOKEN})` });
    const id = await postWorkflowRun(c);
    const { slackTs } = await clickRetry('gh', id);
    await wait(() => expect(c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === slackTs)).toHaveLength(1));
    const reply = String(c.slack.calls('chat.postMessage').find((m) => m.thread_ts === slackTs)!.text);
    expect(reply).toContain('failed');
    expect(reply).toContain('answered 403 (Resource not accessible by integration');
    expect(reply).not.toContain(GH_TOKEN);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry (failed)'));
    expect(text(c.slack.requests)).not.toContain(GH_TOKEN);
  });

  it('retries a GitLab pipeline with PRIVATE-TOKEN, answering in the Discord follow-up', async () => {
    const id = await postPipeline(c);
    const { discordId } = await postedCopies(c, id, 'gl');
    await sendDiscord(c, discordClick(encodeActionId('retry', { source: 'gl', id }), { messageId: discordId, token: 'r1' }));
    await wait(() => expect(discordWebhookCalls(c, 'r1').followUps).toHaveLength(1));
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: '/gl/api/v4/projects/5/pipelines/77/retry' });
    expect(c.api.requests[0]!.headers['private-token']).toBe(GL_TOKEN);
    const followUp = discordWebhookCalls(c, 'r1').followUps[0]!;
    expect(followUp.flags).toBeUndefined();
    expect(String(followUp.content)).toContain('retry of pipeline 77 requested');
  });

  it('runs once when Slack sends the same click again (X-Slack-Retry-Num), on a retry or a later copy', async () => {
    const id = await postWorkflowRun(c);
    const { slackTs, slackChannel } = await postedCopies(c, id);
    const form = slackClick(encodeActionId('retry', { source: 'gh', id }), { channel: slackChannel, ts: slackTs, c });
    expect((await sendSlack(c, form)).status).toBe(200);
    expect((await sendSlack(c, form, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    expect((await sendSlack(c, form, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await c.app.hb.interactions.drain();
    expect(c.api.requests).toHaveLength(1);
    expect(c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === slackTs)).toHaveLength(1);
    const audit = await c.app.hb.store.kv.get<{ action: string }[]>('audit:log');
    expect(audit?.map((a) => a.action)).toEqual(['retry']);
    // A new click (its own trigger_id) is a new request.
    await sendSlack(c, slackClick(encodeActionId('retry', { source: 'gh', id }), { channel: slackChannel, ts: slackTs, c }));
    await c.app.hb.interactions.drain();
    expect(c.api.requests).toHaveLength(2);
  });

  it('says privately when a source has no API to retry with', async () => {
    const id = await postWorkflowRun(c, { source: 'bare' });
    await clickRetry('bare', id);
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(String(c.slack.calls('chat.postEphemeral')[0]!.text)).toContain('has no `api` with a token');
    expect(c.api.requests).toHaveLength(0);
  });

  it('gives a provider timeout as the outcome', async () => {
    c.api.answerNext(200, {}, true);
    const id = await postWorkflowRun(c);
    const { slackTs } = await clickRetry('gh', id);
    await wait(() => expect(c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === slackTs)).toHaveLength(1));
    expect(String(c.slack.calls('chat.postMessage').find((m) => m.thread_ts === slackTs)!.text)).toMatch(/did not answer within \d+s/);
  }, 20_000);

  it('re-queues our own dead-lettered delivery of the event', async () => {
    c.slack.failNext(1, 'platform_error', { error: 'channel_not_found', method: 'chat.postMessage' });
    const id = await postWorkflowRun(c);
    await wait(async () => expect((await c.app.hb.store.queue.depth()).dead).toBe(1));
    // The Discord copy is delivered on its own; the Slack dead letter can come first.
    await wait(async () => expect((await c.app.hb.store.refs.all('gh:acme/app:workflow_run:42')).some((r) => r.target.startsWith('discord:'))).toBe(true));
    const discord = (await c.app.hb.store.refs.all('gh:acme/app:workflow_run:42')).find((r) => r.target.startsWith('discord:'))!;
    await sendDiscord(c, discordClick(encodeActionId('retry', { source: 'gh', id }), { messageId: discord.ref.id, token: 'd1' }));
    await wait(() => expect(discordWebhookCalls(c, 'd1').followUps).toHaveLength(1));
    expect(String(discordWebhookCalls(c, 'd1').followUps[0]!.content)).toContain('delivery to slack:#ci queued again');
    await wait(() => expect(c.slack.calls('chat.postMessage').filter((m) => !m.thread_ts).length).toBe(2));
    expect((await c.app.hb.store.queue.depth()).dead).toBe(0);
    expect(c.api.requests).toHaveLength(0);
  });
});
