import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

const SECRET = 'e2e-secret';
const DISCORD_CHANNEL = '112233445566778899';
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];
const workflowRun = structuredClone(examples.find((e) => e.name === 'workflow_run')!.examples[0]!) as {
  action: string;
  workflow_run: { id: number; status: string; conclusion: string | null; name: string };
};

let slack: FakeSlack;
let discord: FakeDiscord;
let app: RunningHookbridge;

beforeAll(async () => {
  slack = await FakeSlack.start();
  discord = await FakeDiscord.start();
  app = await startHookbridge(
    configFrom(`
store: { url: "memory://" }
delivery: { attempts: 5, backoff: { min: 50ms, max: 200ms }, timeout: 2s, pace: { slack: "off", discord: "off" } }
slack: { token: xoxb-test, apiUrl: "${slack.url}" }
discord: { token: discord-test, apiUrl: "${discord.url}" }
sources:
  gh: { type: github, secret: ${SECRET} }
routes:
  - name: ci-failures
    match: { source: gh, event: workflow_run }
    to: ["slack:#ci", "discord:${DISCORD_CHANNEL}"]
    actions: [ack, retry, mute]
`),
  );
});
afterAll(async () => {
  await app.close();
  await slack.close();
  await discord.close();
});

async function deliver(event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const delivery = crypto.randomUUID();
  const res = await fetch(`${app.url}/hooks/gh`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(SECRET, body) },
  });
  expect(res.status).toBe(202);
  return delivery;
}

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for delivery');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const discordPosts = () => discord.calls('POST', new RegExp(`/channels/${DISCORD_CHANNEL}/messages$`));
const discordEdits = () => discord.calls('PATCH', new RegExp(`/channels/${DISCORD_CHANNEL}/messages/\\d+$`));

describe('accepted webhook → Slack and Discord', () => {
  it('posts one readable message with buttons to each target, then updates it in place for the same run', async () => {
    const run = structuredClone(workflowRun);
    run.workflow_run.id = 990001;
    run.action = 'in_progress';
    run.workflow_run.status = 'in_progress';
    run.workflow_run.conclusion = null;
    const first = await deliver('workflow_run', run);
    await until(() => slack.calls('chat.postMessage').length === 1 && discordPosts().length === 1);

    const post = slack.calls('chat.postMessage')[0]!;
    expect(post.channel).toBe('#ci');
    const blocks = post.blocks as { type: string; text?: { text: string }; elements?: { action_id: string; text: { text: string } }[] }[];
    expect(blocks[0]!.type).toBe('header');
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual([`hb:ack:gh:${first}`, `hb:retry:gh:${first}`, `hb:mute:gh:${first}`]);
    const embed = (discordPosts()[0]!.embeds as { title: string; color: number }[])[0]!;
    expect(embed.title).toBeTruthy();

    run.action = 'completed';
    run.workflow_run.status = 'completed';
    run.workflow_run.conclusion = 'failure';
    await deliver('workflow_run', run);
    await until(() => slack.calls('chat.update').length === 1 && discordEdits().length === 1);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
    const update = slack.calls('chat.update')[0]!;
    expect(update.channel).toBe(slack.channelId('#ci'));
    expect(JSON.stringify(update.blocks)).toMatch(/fail/i);
  });

  it('records an event that matches no route without posting it', async () => {
    const before = slack.requests.length;
    const id = await deliver('star', { action: 'created', repository: { full_name: 'a/b' } });
    expect(await app.hb.store.events.get({ source: 'gh', id })).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.requests.length).toBe(before);
  });

  it('retries after Slack answers 500 and 429, then posts exactly once', async () => {
    slack.failNext(1, 'server_error', { method: 'chat.postMessage' });
    slack.failNext(1, 'rate_limit', { method: 'chat.postMessage', retryAfterSec: 1 });
    const run = structuredClone(workflowRun);
    run.workflow_run.id = 990002;
    const before = slack.calls('chat.postMessage').length;
    await deliver('workflow_run', run);
    await until(() => slack.calls('chat.postMessage').length === before + 3);
    await new Promise((r) => setTimeout(r, 300));
    // Two failed attempts and one success: the message exists once.
    expect(slack.calls('chat.postMessage')).toHaveLength(before + 3);
    expect((await app.hb.store.queue.depth()).dead).toBe(0);
  });
});
