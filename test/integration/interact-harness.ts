/**
 * Shared set-up of the chat-ops integration tests: a running hookbridge with Slack and Discord
 * configured against the fakes, a fake provider API (GitHub/GitLab/CircleCI/Buildkite/Jenkins/HTTP
 * retry) and helpers that sign requests the way Slack and Discord do.
 */
import { createHmac, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { expect, vi } from 'vitest';
import { lifecycleKey } from '../../src/store/lifecycle-key.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { configFrom, startHookbridge, type RunningHookbridge } from '../helpers/test-hookbridge.js';

export const SLACK_SECRET = 'slack-signing-secret-test';
export const GH_SECRET = 'gh-secret';
export const GL_SECRET = 'gl-secret';
export const GH_TOKEN = 'ghp_testtoken123456';
export const GL_TOKEN = 'glpat-testtoken123456';
export const APP_ID = '900000000000000001';
export const DISCORD_CHANNEL = '111222333444555666';
export const SLACK_ADMIN = 'UADMIN1';
/** The people the button tests click as; admins, since Mute is for admins. U0CAROL is not one. */
export const SLACK_CLICKERS = ['U0ANA', 'U0BOB'];
export const DISCORD_ADMIN = '700000000000000001';
export const DISCORD_ADMIN_ROLE = '800000000000000001';

/** A provider API that records requests and answers from a queue (default 201 `{}`). */
export class FakeApi {
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  readonly #answers: { status: number; body: unknown; hang?: boolean; headers?: Record<string, string | string[]> }[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeApi> {
    const server = createServer();
    const api = new FakeApi(server);
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      api.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const a = api.#answers.shift() ?? { status: 201, body: {} };
      if (a.hang) return;
      // A string body with its own content type goes out as-is (Jenkins answers errors as HTML pages).
      const raw = typeof a.body === 'string' && a.headers?.['content-type'] !== undefined;
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(raw ? a.body : JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answerNext(status: number, body: unknown = {}, hang = false, headers: Record<string, string | string[]> = {}): void {
    this.#answers.push({ status, body, hang, headers });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export interface ChatOps {
  readonly app: RunningHookbridge;
  readonly slack: FakeSlack;
  readonly discord: FakeDiscord;
  readonly api: FakeApi;
  readonly discordKey: KeyObject;
  close(): Promise<void>;
}

/** `extraSources` is YAML indented under `sources:`; as a function it gets the fake API's URL. */
export async function startChatOps(o: { now?: () => Date; extraSources?: string | ((apiUrl: string) => string) } = {}): Promise<ChatOps> {
  const slack = await FakeSlack.start({ token: 'xoxb-test' });
  const discord = await FakeDiscord.start({ token: 'discord-test' });
  const api = await FakeApi.start();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const config = configFrom(`
store: { url: "memory://" }
delivery: { attempts: 1, backoff: { min: 10ms, max: 20ms }, timeout: 2s, pace: { slack: "off", discord: "off" } }
slack: { token: xoxb-test, signingSecret: ${SLACK_SECRET}, apiUrl: "${slack.url}" }
discord: { token: discord-test, applicationId: "${APP_ID}", publicKey: "${publicHex}", apiUrl: "${discord.url}" }
admins: { slack: [${[SLACK_ADMIN, ...SLACK_CLICKERS].join(', ')}], discord: ["${DISCORD_ADMIN}", "${DISCORD_ADMIN_ROLE}"] }
sources:
  gh: { type: github, secret: ${GH_SECRET}, api: { url: "${api.url}/gh", token: ${GH_TOKEN} } }
  gl: { type: gitlab, secret: ${GL_SECRET}, api: { url: "${api.url}/gl/api/v4", token: ${GL_TOKEN} } }
  bare: { type: github, secret: ${GH_SECRET} }
${typeof o.extraSources === 'function' ? o.extraSources(api.url) : (o.extraSources ?? '')}
routes:
  - name: ci
    match: {}
    to: ["slack:#ci", "discord:${DISCORD_CHANNEL}"]
    actions: [ack, retry, mute, resolve]
`);
  const app = await startHookbridge(config, o.now ? { now: o.now } : {});
  return {
    app, slack, discord, api, discordKey: privateKey,
    async close() {
      await app.close();
      await Promise.all([slack.close(), discord.close(), api.close()]);
    },
  };
}

/** A failed GitHub workflow run (run 42 of acme/app), delivered and posted to both platforms. */
export async function postWorkflowRun(c: ChatOps, o: { source?: string; delivery?: string; conclusion?: string } = {}): Promise<string> {
  const delivery = o.delivery ?? crypto.randomUUID();
  const body = JSON.stringify({
    action: 'completed',
    workflow_run: { id: 42, name: 'CI', conclusion: o.conclusion ?? 'failure', status: 'completed', html_url: 'https://github.com/acme/app/actions/runs/42' },
    repository: { full_name: 'acme/app' },
  });
  const res = await fetch(`${c.app.url}/hooks/${o.source ?? 'gh'}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': delivery, 'x-hub-signature-256': await githubSign(GH_SECRET, body) },
  });
  expect(res.status).toBe(202);
  return delivery;
}

/** Waits until an event's message is posted to both platforms; answers where the copies are. */
export async function postedCopies(c: ChatOps, id: string, source = 'gh'): Promise<{ slackTs: string; slackChannel: string; discordId: string }> {
  let found: { slackTs: string; slackChannel: string; discordId: string } | undefined;
  await vi.waitFor(async () => {
    const event = await c.app.hb.store.events.get({ source, id });
    const all = await c.app.hb.store.refs.all(event ? lifecycleKey(event) : `${source}/${id}`);
    const slack = all.find((r) => r.target === 'slack:#ci')?.ref;
    const discord = all.find((r) => r.target === `discord:${DISCORD_CHANNEL}`)?.ref;
    expect(slack && discord).toBeTruthy();
    found = { slackTs: slack!.id, slackChannel: slack!.channel, discordId: discord!.id };
  }, { timeout: 8000, interval: 20 });
  return found!;
}

/** A failed GitLab pipeline (77 of project 5), delivered with the secret token. */
export async function postPipeline(c: ChatOps): Promise<string> {
  const delivery = crypto.randomUUID();
  const body = JSON.stringify({ object_kind: 'pipeline', object_attributes: { id: 77, status: 'failed', ref: 'main' }, project: { id: 5, path_with_namespace: 'acme/app' } });
  const res = await fetch(`${c.app.url}/hooks/gl`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-token': GL_SECRET, 'idempotency-key': delivery },
  });
  expect(res.status).toBe(202);
  return delivery;
}

export function slackSignature(body: string, ts: number, secret = SLACK_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

/** POSTs a form body to /slack/events, signed unless told otherwise. */
export async function sendSlack(c: ChatOps, form: Record<string, string>, o: { ts?: number; secret?: string; signature?: string | null; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams(form).toString();
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), ...o.headers };
  const signature = o.signature === undefined ? slackSignature(body, ts, o.secret) : o.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  const res = await fetch(`${c.app.url}/slack/events`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}

/** Slack gives every click and command its own trigger_id, so no two requests have the same body. */
let slackSeq = 0;

export function slackClick(actionId: string, o: { user?: string; name?: string; channel: string; ts: string; responseId?: string; c: ChatOps }) {
  return {
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: o.user ?? 'U0ANA', username: o.name ?? 'ana' },
      channel: { id: o.channel },
      message: { ts: o.ts },
      response_url: o.c.slack.responseUrl(o.responseId ?? 'click'),
      trigger_id: `t${++slackSeq}`,
      actions: [{ action_id: actionId, value: actionId, type: 'button', action_ts: `${Date.now() / 1000}` }],
    }),
  };
}

export function slackSlash(text: string, o: { user?: string; name?: string; responseId: string; c: ChatOps }): Record<string, string> {
  return {
    command: '/hookbridge', text, user_id: o.user ?? SLACK_ADMIN, user_name: o.name ?? 'boss',
    channel_id: 'C0CI', response_url: o.c.slack.responseUrl(o.responseId), trigger_id: `t${++slackSeq}`,
  };
}

/** POSTs an interaction to /discord/interactions, signed with the test key unless told otherwise. */
export async function sendDiscord(c: ChatOps, payload: unknown, o: { key?: KeyObject; signature?: string | null; tamper?: boolean; ageSeconds?: number } = {}) {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000) - (o.ageSeconds ?? 0));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-signature-timestamp': ts };
  const sig = o.signature === undefined ? edSign(null, Buffer.from(ts + body), o.key ?? c.discordKey).toString('hex') : o.signature;
  if (sig !== null) headers['x-signature-ed25519'] = sig;
  const res = await fetch(`${c.app.url}/discord/interactions`, { method: 'POST', body: o.tamper ? `${body} ` : body, headers });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

let seq = 0;
const member = (userId: string, roles: string[], name: string) => ({ user: { id: userId, username: name, global_name: name }, roles });

export function discordClick(customId: string, o: { userId?: string; roles?: string[]; name?: string; messageId: string; token?: string }) {
  return {
    id: String(++seq), application_id: APP_ID, type: 3, token: o.token ?? `tok-${seq}`, channel_id: DISCORD_CHANNEL, version: 1,
    member: member(o.userId ?? '500000000000000001', o.roles ?? [], o.name ?? 'bo'),
    message: { id: o.messageId, channel_id: DISCORD_CHANNEL },
    data: { custom_id: customId, component_type: 2 },
  };
}

export function discordSlash(sub: string, options: Record<string, string | number>, o: { userId?: string; roles?: string[]; token?: string } = {}) {
  return {
    id: String(++seq), application_id: APP_ID, type: 2, token: o.token ?? `cmd-${seq}`, channel_id: DISCORD_CHANNEL, version: 1,
    member: member(o.userId ?? DISCORD_ADMIN, o.roles ?? [], 'dee'),
    data: { name: 'hookbridge', type: 1, options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ name, type: typeof value === 'number' ? 4 : 3, value })) }] },
  };
}

/** Follow-up messages and @original edits sent through one interaction token. */
export function discordWebhookCalls(c: ChatOps, token: string) {
  return {
    followUps: c.discord.calls('POST', new RegExp(`^/webhooks/${APP_ID}/${token}$`)),
    edits: c.discord.calls('PATCH', new RegExp(`^/webhooks/${APP_ID}/${token}/messages/(@|%40)original$`)),
  };
}
