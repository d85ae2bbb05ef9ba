/**
 * Two-way actions: Resolve, Ack and Mute acting at the provider (PagerDuty, Opsgenie, Sentry,
 * Alertmanager, Grafana) through a local fake of its API, and the provider's follow-up webhook
 * updating the same message once without calling the API again.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeActionId } from '../../src/interact/action-id.js';
import { AckStore } from '../../src/interact/acks.js';
import type { ActionName } from '../../src/render/message.js';
import { discordClick, discordWebhookCalls, postedCopies, sendDiscord, sendSlack, slackClick, slackSlash, startChatOps, type ChatOps } from './interact-harness.js';

const PD_TOKEN = 'pd-api-token-7f3a9c';
const OG_TOKEN = 'og-genie-key-4b2e1d';
const SENTRY_TOKEN = 'sntrys_api_token_9e8d7c';
const GRAFANA_TOKEN = 'glsa_service_account_5a6b7c';
const PD_SECRET = 'pd-webhook-secret';
const SENTRY_SECRET = 'sentry-client-secret';
const HOOK_TOKEN = 'hook-token-123456';

const sources = (api: string) => `
  pd: { type: pagerduty, secret: ${PD_SECRET}, api: { url: "${api}/pd", token: ${PD_TOKEN}, from: "oncall@example.com" } }
  pdbare: { type: pagerduty, secret: ${PD_SECRET} }
  og: { type: opsgenie, token: ${HOOK_TOKEN}, api: { url: "${api}/og", token: ${OG_TOKEN} } }
  sentry: { type: sentry, secret: ${SENTRY_SECRET}, api: { url: "${api}/sentry/api/0", token: ${SENTRY_TOKEN} } }
  am: { type: alertmanager, token: ${HOOK_TOKEN}, api: { url: "${api}/am" } }
  ambare: { type: alertmanager, token: ${HOOK_TOKEN} }
  graf: { type: grafana, token: ${HOOK_TOKEN}, api: { url: "${api}/grafana/", token: ${GRAFANA_TOKEN} } }
`;

let c: ChatOps;
beforeEach(async () => {
  c = await startChatOps({ extraSources: sources });
});
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const text = (body: unknown) => JSON.stringify(body);
const fixture = (provider: string, name: string) => readFileSync(new URL(`../fixtures/sources/${provider}/${name}.json`, import.meta.url), 'utf8');
const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** POSTs a webhook as the provider would sign it; answers the event id it is stored under. */
async function deliver(source: string, body: string, headers: Record<string, string>, id: () => Promise<string | undefined>): Promise<string> {
  const res = await fetch(`${c.app.url}/hooks/${source}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  expect(res.status).toBe(202);
  let found: string | undefined;
  await wait(async () => {
    found = await id();
    expect(found).toBeDefined();
  });
  return found!;
}

const pagerduty = (source: string, name: string) => {
  const body = fixture('pagerduty', name);
  return deliver(source, body, { 'x-pagerduty-signature': `v1=${hmacHex(PD_SECRET, body)}` }, async () => (JSON.parse(body) as { event: { id: string } }).event.id);
};

const opsgenie = async (name: string) => {
  const body = fixture('opsgenie', name);
  const p = JSON.parse(body) as { action: string; alert: { alertId: string; updatedAt: number } };
  // The dedupe id the opsgenie source gives (alertId:action:updatedAt), read back from the log.
  return deliver('og', body, { 'x-hookbridge-token': HOOK_TOKEN }, async () => (await c.app.hb.store.events.recent('og', { limit: 10 })).find((e) => e.type === `alert.${p.action.toLowerCase()}`)?.id);
};

const sentryIssue = (action: 'created' | 'resolved', requestId: string) => {
  const created = fixture('sentry', 'issue.created');
  const body = action === 'created' ? created : created.replace('"action":"created"', '"action":"resolved"').replace('"status":"unresolved"', '"status":"resolved"');
  return deliver('sentry', body, { 'request-id': requestId, 'sentry-hook-resource': 'issue', 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)), 'sentry-hook-signature': hmacHex(SENTRY_SECRET, body) }, async () => requestId);
};

const alertGroup = async (source: string, provider: 'alertmanager' | 'grafana') => {
  const body = fixture(provider, 'firing');
  const res = await fetch(`${c.app.url}/hooks/${source}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${HOOK_TOKEN}` } });
  expect(res.status).toBe(202);
  let id: string | undefined;
  await wait(async () => {
    id = (await c.app.hb.store.events.recent(source, { limit: 1 }))[0]?.id;
    expect(id).toBeDefined();
  });
  return id!;
};

/** Clicks a button on the Slack copy of the event's message. */
async function click(action: ActionName, source: string, id: string, user = { user: 'U0ANA', name: 'ana' }) {
  const { slackTs, slackChannel, discordId } = await postedCopies(c, id, source);
  await sendSlack(c, slackClick(encodeActionId(action, { source, id }), { ...user, channel: slackChannel, ts: slackTs, c }));
  await c.app.hb.interactions.drain();
  return { slackTs, slackChannel, discordId };
}

const threadReplies = (ts: string) => c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === ts);
const topLevelPosts = () => c.slack.calls('chat.postMessage').filter((m) => !m.thread_ts);

/** Waits for every queued delivery to finish, so "exactly once" is not read half-way. */
async function settled(): Promise<void> {
  await wait(async () => {
    const d = await c.app.hb.store.queue.depth();
    expect(d.waiting + d.delayed + d.active).toBe(0);
  });
}

/**
 * The provider's own webhook about the state we just set: one chat.update per copy, no new post,
 * and no further API call (webhooks never act at the provider).
 */
async function expectFollowUpUpdatesOnce(send: () => Promise<string>, slackTs: string, shown: string) {
  await settled();
  const updates = c.slack.calls('chat.update').length;
  const posts = topLevelPosts().length;
  const apiCalls = c.api.requests.length;
  const discordEdits = c.discord.calls('PATCH', /^\/channels\/\d+\/messages\/\d+$/).length;
  const discordPosts = c.discord.calls('POST', /^\/channels\/\d+\/messages$/).length;
  await send();
  await wait(() => expect(c.slack.calls('chat.update').length).toBe(updates + 1));
  await settled();
  await c.app.hb.interactions.drain();
  expect(c.slack.calls('chat.update').length).toBe(updates + 1);
  expect(c.slack.calls('chat.update').at(-1)).toMatchObject({ ts: slackTs });
  expect(text(c.slack.calls('chat.update').at(-1))).toContain(shown);
  expect(topLevelPosts()).toHaveLength(posts);
  expect(c.discord.calls('PATCH', /^\/channels\/\d+\/messages\/\d+$/)).toHaveLength(discordEdits + 1);
  expect(c.discord.calls('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(discordPosts);
  expect(c.api.requests).toHaveLength(apiCalls);
}

describe('PagerDuty', () => {
  it('Resolve resolves the incident (exact request), shows "Resolved by", and the incident.resolved webhook updates the same message once', async () => {
    const id = await pagerduty('pd', 'incident.triggered');
    const { slackTs, discordId } = await click('resolve', 'pd', id);
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'PUT', path: '/pd/incidents/Q1ZKP3XQ2BYLW8' });
    expect(req.headers).toMatchObject({
      authorization: `Token token=${PD_TOKEN}`,
      from: 'oncall@example.com',
      accept: 'application/vnd.pagerduty+json;version=2',
      'content-type': 'application/json',
    });
    expect(JSON.parse(req.body)).toEqual({ incident: { type: 'incident_reference', status: 'resolved' } });
    await wait(() => {
      expect(text(c.slack.calls('chat.update').at(-1))).toContain('Resolved in PagerDuty by ana');
      expect(text(c.discord.calls('PATCH', new RegExp(`/messages/${discordId}$`)).at(-1))).toContain('Resolved by ana');
    });
    expect(threadReplies(slackTs)).toHaveLength(0);

    await expectFollowUpUpdatesOnce(() => pagerduty('pd', 'incident.resolved'), slackTs, 'Resolved in PagerDuty by ana');

    // A second click is answered from what is recorded, without another call.
    await click('resolve', 'pd', id, { user: 'U0BOB', name: 'bob' });
    await wait(() => expect(c.slack.calls('chat.postEphemeral').at(-1)).toMatchObject({ text: expect.stringContaining('Already resolved by ana') }));
    expect(c.api.requests).toHaveLength(1);
  });

  it('a refused Resolve is said in the thread with status and reason, never the token, and the message does not claim it', async () => {
    c.api.answerNext(403, { error: { message: `Access Denied for ${PD_TOKEN}`, code: 2010 } });
    const id = await pagerduty('pd', 'incident.triggered');
    const { slackTs, discordId } = await click('resolve', 'pd', id);
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    const reply = String(threadReplies(slackTs)[0]!.text);
    expect(reply).toContain('Resolve by ana failed');
    expect(reply).toContain('answered 403 (Access Denied');
    expect(reply).not.toContain(PD_TOKEN);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Resolve (failed)'));
    const shown = text([c.slack.calls('chat.update'), c.discord.calls('PATCH', new RegExp(`/messages/${discordId}$`))]);
    expect(shown).not.toContain('Resolved');
    expect(text(c.slack.requests)).not.toContain(PD_TOKEN);
    expect(text(c.discord.requests)).not.toContain(PD_TOKEN);
  });

  it('Ack acknowledges the incident after recording ours; the incident.acknowledged webhook updates once', async () => {
    const id = await pagerduty('pd', 'incident.triggered');
    const { slackTs } = await click('ack', 'pd', id);
    expect(c.api.requests).toHaveLength(1);
    expect(c.api.requests[0]).toMatchObject({ method: 'PUT', path: '/pd/incidents/Q1ZKP3XQ2BYLW8' });
    expect(c.api.requests[0]!.headers.authorization).toBe(`Token token=${PD_TOKEN}`);
    expect(JSON.parse(c.api.requests[0]!.body)).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Acknowledged by ana'));
    expect(threadReplies(slackTs)).toHaveLength(0);
    await expectFollowUpUpdatesOnce(() => pagerduty('pd', 'incident.acknowledged'), slackTs, 'Acknowledged by ana');
  });

  it('a failed Ack keeps our ack and says PagerDuty was not told, with the reason', async () => {
    c.api.answerNext(400, { error: { message: 'Requester User Not Found', code: 2100 } });
    const id = await pagerduty('pd', 'incident.triggered');
    const { slackTs } = await click('ack', 'pd', id);
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    expect(String(threadReplies(slackTs)[0]!.text)).toMatch(/Acknowledged here by ana, but PagerDuty was not told: .*answered 400 \(Requester User Not Found\)/);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('PagerDuty was not told of the ack'));
    expect(await new AckStore(c.app.hb.store.kv).get('pd:incident:Q1ZKP3XQ2BYLW8')).toMatchObject({ by: 'ana' });
  });

  it('without an api, Resolve says so privately and Ack works as before', async () => {
    const id = await pagerduty('pdbare', 'incident.triggered');
    await click('resolve', 'pdbare', id);
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(String(c.slack.calls('chat.postEphemeral')[0]!.text)).toContain('has no `api` with a token');
    await click('ack', 'pdbare', id);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Acknowledged by ana'));
    expect(c.api.requests).toHaveLength(0);
  });
});

describe('Opsgenie', () => {
  it('Resolve closes the alert (exact request); the Close webhook updates the same message once', async () => {
    const id = await opsgenie('create');
    const { slackTs } = await click('resolve', 'og', id);
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/og/v2/alerts/d1f3a2b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b-1772366294101/close?identifierType=id' });
    expect(req.headers).toMatchObject({ authorization: `GenieKey ${OG_TOKEN}`, 'content-type': 'application/json' });
    expect(JSON.parse(req.body)).toEqual({ user: 'ana', source: 'hookbridge', note: 'Closed from chat by ana' });
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Resolved in Opsgenie by ana'));
    await expectFollowUpUpdatesOnce(() => opsgenie('close'), slackTs, 'Resolved in Opsgenie by ana');
  });

  it('Ack acknowledges the alert; the Acknowledge webhook updates once', async () => {
    const id = await opsgenie('create');
    const { slackTs } = await click('ack', 'og', id);
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: '/og/v2/alerts/d1f3a2b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b-1772366294101/acknowledge?identifierType=id' });
    expect(c.api.requests[0]!.headers.authorization).toBe(`GenieKey ${OG_TOKEN}`);
    expect(JSON.parse(c.api.requests[0]!.body)).toEqual({ user: 'ana', source: 'hookbridge', note: 'Acknowledged from chat by ana' });
    await expectFollowUpUpdatesOnce(() => opsgenie('acknowledge'), slackTs, 'Acknowledged by ana');
  });

  it('a failed close is shown in the Discord follow-up with the reason, never the key', async () => {
    c.api.answerNext(422, { message: `Key ${OG_TOKEN} is restricted`, took: 0.01, requestId: 'r-1' });
    const id = await opsgenie('create');
    const { discordId } = await postedCopies(c, id, 'og');
    await sendDiscord(c, discordClick(encodeActionId('resolve', { source: 'og', id }), { messageId: discordId, token: 'og1' }));
    await wait(() => expect(discordWebhookCalls(c, 'og1').followUps).toHaveLength(1));
    const followUp = String(discordWebhookCalls(c, 'og1').followUps[0]!.content);
    expect(followUp).toContain('Resolve by bo failed');
    expect(followUp).toContain('answered 422');
    expect(followUp).not.toContain(OG_TOKEN);
    expect(text(c.discord.requests)).not.toContain('Resolved by');
  });
});

describe('Sentry', () => {
  it('Resolve resolves the issue in its organization (exact request); issue.resolved updates the same message once', async () => {
    const id = await sentryIssue('created', 'req-created-1');
    const { slackTs } = await click('resolve', 'sentry', id);
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'PUT', path: '/sentry/api/0/organizations/acme/issues/4120897654/' });
    expect(req.headers).toMatchObject({ authorization: `Bearer ${SENTRY_TOKEN}`, 'content-type': 'application/json' });
    expect(JSON.parse(req.body)).toEqual({ status: 'resolved' });
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Resolved in Sentry by ana'));
    await expectFollowUpUpdatesOnce(() => sentryIssue('resolved', 'req-resolved-1'), slackTs, 'Resolved in Sentry by ana');
  });

  it('a refused Resolve shows Sentry\'s detail and leaves the button usable', async () => {
    c.api.answerNext(403, { detail: 'You do not have permission to perform this action.' });
    const id = await sentryIssue('created', 'req-created-2');
    const { slackTs } = await click('resolve', 'sentry', id);
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    expect(String(threadReplies(slackTs)[0]!.text)).toContain('answered 403 (You do not have permission to perform this action.)');
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain(encodeActionId('resolve', { source: 'sentry', id })));
    expect(text(c.slack.calls('chat.update').at(-1))).not.toContain('Resolved in');
  });

  it('a provider timeout is a failure, not a resolution', async () => {
    c.api.answerNext(200, {}, true);
    const id = await sentryIssue('created', 'req-created-3');
    const { slackTs } = await click('resolve', 'sentry', id);
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    expect(String(threadReplies(slackTs)[0]!.text)).toMatch(/Resolve by ana failed: Sentry resolve of issue CHECKOUT-API-3F: 127\.0\.0\.1:\d+ did not answer within \d+s/);
  }, 20_000);
});

describe('Mute with silences', () => {
  it('Alertmanager: Mute silences the group\'s labels for the mute; unmute expires the silence', async () => {
    c.api.answerNext(200, { silenceID: 'sil-am-1' });
    const id = await alertGroup('am', 'alertmanager');
    const before = Date.now();
    const { slackTs } = await click('mute', 'am', id);
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/am/api/v2/silences' });
    expect(req.headers['content-type']).toBe('application/json');
    // No api.token: Alertmanager itself takes none.
    expect(req.headers.authorization).toBeUndefined();
    const body = JSON.parse(req.body) as { matchers: unknown; startsAt: string; endsAt: string; createdBy: string; comment: string };
    expect(body.matchers).toEqual([{ name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true }]);
    expect(body).toMatchObject({ createdBy: 'ana', comment: 'muted from chat' });
    expect(Date.parse(body.endsAt) - Date.parse(body.startsAt)).toBe(3_600_000);
    expect(Date.parse(body.startsAt)).toBeGreaterThanOrEqual(before - 1000);
    const mute = await c.app.hb.store.mutes.get('am');
    expect(mute?.until).toBe(body.endsAt);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Silenced in Alertmanager by ana'));
    expect(threadReplies(slackTs)).toHaveLength(0);

    await sendSlack(c, slackSlash('unmute am', { responseId: 'um', c }));
    await wait(() => expect(c.slack.responses('um')).toHaveLength(1));
    expect(String(c.slack.responses('um')[0]!.text)).toContain('Unmuted `am`');
    expect(String(c.slack.responses('um')[0]!.text)).toContain('Expired Alertmanager silence sil-am-1');
    expect(c.api.requests[1]).toMatchObject({ method: 'DELETE', path: '/am/api/v2/silence/sil-am-1', body: '' });

    // Forgotten once expired: a second unmute calls nothing.
    await sendSlack(c, slackSlash('unmute am', { responseId: 'um2', c }));
    await wait(() => expect(c.slack.responses('um2')).toHaveLength(1));
    expect(c.api.requests).toHaveLength(2);
  });

  it('Grafana: the silence goes to its built-in Alertmanager with the service-account token; a second mute extends it in place', async () => {
    c.api.answerNext(202, { silenceID: 'sil-gf-1' });
    const id = await alertGroup('graf', 'grafana');
    await click('mute', 'graf', id);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/grafana/api/alertmanager/grafana/api/v2/silences' });
    expect(req.headers.authorization).toBe(`Bearer ${GRAFANA_TOKEN}`);
    const first = JSON.parse(req.body) as { id?: string; matchers: unknown; startsAt: string; endsAt: string };
    expect(first.id).toBeUndefined();
    expect(first.matchers).toEqual([
      { name: 'alertname', value: 'HighLatency', isRegex: false, isEqual: true },
      { name: 'grafana_folder', value: 'Checkout', isRegex: false, isEqual: true },
    ]);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Silenced in Grafana by ana'));

    // Later, a second Mute of the same group: the same silence, its start kept, its end moved on.
    await new Promise((r) => setTimeout(r, 20));
    c.api.answerNext(202, { silenceID: 'sil-gf-1' });
    await click('mute', 'graf', id, { user: 'U0BOB', name: 'bob' });
    await wait(() => expect(c.api.requests).toHaveLength(2));
    const second = JSON.parse(c.api.requests[1]!.body) as { id?: string; matchers: unknown; startsAt: string; endsAt: string; createdBy: string };
    expect(c.api.requests[1]).toMatchObject({ method: 'POST', path: '/grafana/api/alertmanager/grafana/api/v2/silences' });
    expect(second).toMatchObject({ id: 'sil-gf-1', matchers: first.matchers, startsAt: first.startsAt, createdBy: 'bob' });
    expect(Date.parse(second.endsAt)).toBeGreaterThan(Date.parse(first.endsAt));
    expect((await c.app.hb.store.mutes.get('graf'))?.until).toBe(second.endsAt);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Silenced in Grafana by bob'));

    await sendSlack(c, slackSlash('unmute graf', { responseId: 'ug', c }));
    await wait(() => expect(c.slack.responses('ug')).toHaveLength(1));
    expect(c.api.requests).toHaveLength(3);
    expect(c.api.requests[2]).toMatchObject({ method: 'DELETE', path: '/grafana/api/alertmanager/grafana/api/v2/silence/sil-gf-1' });
    expect(c.api.requests[2]!.headers.authorization).toBe(`Bearer ${GRAFANA_TOKEN}`);
  });

  it('Alertmanager: an extension answered with a new id replaces the old silence (unmute expires only the new one)', async () => {
    c.api.answerNext(200, { silenceID: 'sil-am-5' });
    const id = await alertGroup('am', 'alertmanager');
    await click('mute', 'am', id);
    await new Promise((r) => setTimeout(r, 20));
    c.api.answerNext(200, { silenceID: 'sil-am-6' });
    const { slackTs } = await click('mute', 'am', id, { user: 'U0BOB', name: 'bob' });
    await wait(() => expect(c.api.requests).toHaveLength(2));
    expect((JSON.parse(c.api.requests[1]!.body) as { id?: string }).id).toBe('sil-am-5');
    expect(threadReplies(slackTs)).toHaveLength(0);

    await sendSlack(c, slackSlash('unmute am', { responseId: 'um6', c }));
    await wait(() => expect(c.slack.responses('um6')).toHaveLength(1));
    expect(String(c.slack.responses('um6')[0]!.text)).toContain('Expired Alertmanager silence sil-am-6');
    expect(c.api.requests.slice(2)).toEqual([expect.objectContaining({ method: 'DELETE', path: '/am/api/v2/silence/sil-am-6' })]);
  });

  it('Alertmanager: a silence deleted at the provider meanwhile is made anew by the next Mute', async () => {
    c.api.answerNext(200, { silenceID: 'sil-am-7' });
    const id = await alertGroup('am', 'alertmanager');
    await click('mute', 'am', id);
    await new Promise((r) => setTimeout(r, 20));
    c.api.answerNext(404, 'silence not found');
    c.api.answerNext(200, { silenceID: 'sil-am-8' });
    const { slackTs } = await click('mute', 'am', id, { user: 'U0BOB', name: 'bob' });
    await wait(() => expect(c.api.requests).toHaveLength(3));
    expect((JSON.parse(c.api.requests[1]!.body) as { id?: string }).id).toBe('sil-am-7');
    const fresh = JSON.parse(c.api.requests[2]!.body) as { id?: string; startsAt: string; endsAt: string };
    expect(fresh.id).toBeUndefined();
    expect(Date.parse(fresh.endsAt) - Date.parse(fresh.startsAt)).toBe(3_600_000);
    expect(threadReplies(slackTs)).toHaveLength(0);

    await sendSlack(c, slackSlash('unmute am', { responseId: 'um8', c }));
    await wait(() => expect(c.slack.responses('um8')).toHaveLength(1));
    expect(c.api.requests.slice(3)).toEqual([expect.objectContaining({ method: 'DELETE', path: '/am/api/v2/silence/sil-am-8' })]);
  });

  it('a refused extension is said in the thread: the mute is extended here, the old silence still ends as before', async () => {
    c.api.answerNext(200, { silenceID: 'sil-am-9' });
    const id = await alertGroup('am', 'alertmanager');
    await click('mute', 'am', id);
    await new Promise((r) => setTimeout(r, 20));
    c.api.answerNext(500, 'cluster not ready');
    const { slackTs } = await click('mute', 'am', id, { user: 'U0BOB', name: 'bob' });
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    const reply = String(threadReplies(slackTs)[0]!.text);
    expect(reply).toContain('Muted `am` here by bob, but the Alertmanager silence sil-am-9 was not extended and still ends at');
    expect(reply).toContain('extension of Alertmanager silence sil-am-9');
    expect(reply).toContain('answered 500 (cluster not ready)');
    expect(c.api.requests).toHaveLength(2);
  });

  it('a refused silence is said in the thread (never the token); our mute still stands, without a silence line', async () => {
    c.api.answerNext(403, { message: `permission denied for ${GRAFANA_TOKEN}` });
    const id = await alertGroup('graf', 'grafana');
    const { slackTs } = await click('mute', 'graf', id);
    await wait(() => expect(threadReplies(slackTs)).toHaveLength(1));
    const reply = String(threadReplies(slackTs)[0]!.text);
    expect(reply).toContain('no silence was set in Grafana');
    expect(reply).toContain('answered 403 (permission denied');
    expect(reply).not.toContain(GRAFANA_TOKEN);
    expect(await c.app.hb.store.mutes.get('graf')).toBeDefined();
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('graf muted by ana'));
    expect(text(c.slack.calls('chat.update'))).not.toContain('Silenced in');
  });

  it('an unmute whose expiry fails says so with the status', async () => {
    c.api.answerNext(200, { silenceID: 'sil-am-2' });
    c.api.answerNext(500, 'silence not found');
    const id = await alertGroup('am', 'alertmanager');
    await click('mute', 'am', id);
    await sendSlack(c, slackSlash('unmute am', { responseId: 'uf', c }));
    await wait(() => expect(c.slack.responses('uf')).toHaveLength(1));
    expect(String(c.slack.responses('uf')[0]!.text)).toContain('Alertmanager silence sil-am-2 could not be expired: expiry of Alertmanager silence sil-am-2: 127.0.0.1');
    expect(String(c.slack.responses('uf')[0]!.text)).toContain('answered 500 (silence not found)');
  });

  it('without an api, Mute works as before and calls nothing', async () => {
    const id = await alertGroup('ambare', 'alertmanager');
    await click('mute', 'ambare', id);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('ambare muted by ana'));
    expect(c.api.requests).toHaveLength(0);
    expect(threadReplies((await postedCopies(c, id, 'ambare')).slackTs)).toHaveLength(0);
  });
});
