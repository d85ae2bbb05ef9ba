import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeActionId } from '../../src/interact/action-id.js';
import { discordClick, discordWebhookCalls, postedCopies, sendDiscord, sendSlack, slackClick, startChatOps, type ChatOps } from './interact-harness.js';

const CIRCLE_SECRET = 'circle-hook-secret';
const CIRCLE_TOKEN = 'CCIPAT_circletoken123456';
const BK_HOOK_TOKEN = 'bk-hook-token';
const BK_TOKEN = 'bkua_buildkitetoken123456';
const JK_HOOK_TOKEN = 'jk-hook-token';
const JK_API_TOKEN = '11aa22bb33cc44dd55ee66ff77';
const JK_BASIC = Buffer.from(`robot:${JK_API_TOKEN}`).toString('base64');
const HOOK_QUERY_TOKEN = 'qtok_0123456789abcdef';
const HOOK_BEARER = 'btok_0123456789abcdef';
const WORKFLOW = 'fda08377-fe7e-46b1-8992-3a7aaecac9c3';

const sources = (api: string) => `
  circle: { type: circleci, secret: ${CIRCLE_SECRET}, api: { url: "${api}/circle", token: ${CIRCLE_TOKEN} } }
  circlev2: { type: circleci, secret: ${CIRCLE_SECRET}, api: { url: "${api}/circle/api/v2/", token: ${CIRCLE_TOKEN} } }
  circlebare: { type: circleci, secret: ${CIRCLE_SECRET} }
  circlehttp: { type: circleci, secret: ${CIRCLE_SECRET}, retry: { url: "${api}/hook/{{workflow.id}}" } }
  circletok: { type: circleci, secret: ${CIRCLE_SECRET}, retry: { url: "${api}/hook/{{workflow.id}}?api_token=${HOOK_QUERY_TOKEN}", headers: { authorization: "Bearer ${HOOK_BEARER}" } } }
  bk: { type: buildkite, token: ${BK_HOOK_TOKEN}, api: { url: "${api}/bk", token: ${BK_TOKEN} } }
  jk: { type: jenkins, token: ${JK_HOOK_TOKEN}, api: { url: "${api}/jenkins/", token: "robot:${JK_API_TOKEN}" } }
  jkbad: { type: jenkins, token: ${JK_HOOK_TOKEN}, api: { url: "${api}/jenkins", token: ${JK_API_TOKEN} } }
`;

let c: ChatOps;
beforeEach(async () => {
  c = await startChatOps({ extraSources: sources });
});
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const text = (body: unknown) => JSON.stringify(body);
const fixture = (provider: string, name: string) => readFileSync(new URL(`../fixtures/sources/${provider}/${name}.json`, import.meta.url), 'utf8');

/** Posts a webhook; answers the event id hookbridge gave it. */
async function deliver(source: string, body: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${c.app.url}/hooks/${source}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** A CircleCI sample (the failed workflow by default), signed. */
async function postCircle(source = 'circle', name = 'workflow-completed'): Promise<string> {
  const body = fixture('circleci', name);
  const sig = createHmac('sha256', CIRCLE_SECRET).update(body).digest('hex');
  return deliver(source, body, { 'circleci-event-type': name, 'circleci-signature': `v1=${sig}` });
}

async function postBuildkite(name: 'build.finished' | 'job.finished'): Promise<string> {
  const body = fixture('buildkite', name);
  return deliver('bk', body, { 'x-buildkite-event': name, 'x-buildkite-token': BK_HOOK_TOKEN });
}

/** A Notification plugin payload (the completed sample, changed by `edit`). */
async function postJenkins(edit: (p: Record<string, unknown> & { build: Record<string, unknown> }) => void = () => {}, source = 'jk'): Promise<string> {
  const payload = JSON.parse(fixture('jenkins', 'completed')) as Record<string, unknown> & { build: Record<string, unknown> };
  edit(payload);
  return deliver(source, JSON.stringify(payload), { authorization: `Bearer ${JK_HOOK_TOKEN}` });
}

/** Clicks Retry on the Slack copy and answers the thread reply once it is posted. */
async function retryOnSlack(source: string, id: string): Promise<string> {
  const { slackTs, slackChannel } = await postedCopies(c, id, source);
  await sendSlack(c, slackClick(encodeActionId('retry', { source, id }), { channel: slackChannel, ts: slackTs, c }));
  await wait(() => expect(c.slack.calls('chat.postMessage').filter((m) => m.thread_ts === slackTs)).toHaveLength(1));
  return String(c.slack.calls('chat.postMessage').find((m) => m.thread_ts === slackTs)!.text);
}

/** No token, in any form, reached Slack or Discord. */
function expectNoSecrets(...secrets: string[]): void {
  const seen = text(c.slack.requests) + text(c.discord.requests);
  for (const s of secrets) expect(seen).not.toContain(s);
}

describe('Retry on CircleCI', () => {
  it('re-runs the workflow from failed with Circle-Token, shown in the thread and on the message', async () => {
    const reply = await retryOnSlack('circle', await postCircle());
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: `/circle/api/v2/workflow/${WORKFLOW}/rerun` });
    expect(req.headers['circle-token']).toBe(CIRCLE_TOKEN);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ from_failed: true });
    expect(reply).toContain(`Retry by ana: re-run of workflow build-test-deploy (${WORKFLOW}) from failed requested`);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry again'));
    expectNoSecrets(CIRCLE_TOKEN);
  });

  it('takes api.url with or without /api/v2, and a job-completed event retries its workflow', async () => {
    await retryOnSlack('circlev2', await postCircle('circlev2', 'job-completed'));
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: `/circle/api/v2/workflow/${WORKFLOW}/rerun` });
  });

  it('shows an API error with its message, the token redacted', async () => {
    c.api.answerNext(400, { message: `Workflow is not in a failed state (token ${CIRCLE_TOKEN})` });
    const reply = await retryOnSlack('circle', await postCircle());
    expect(reply).toContain('failed');
    expect(reply).toContain('answered 400 (Workflow is not in a failed state (token [redacted]))');
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry (failed)'));
    expectNoSecrets(CIRCLE_TOKEN);
  });

  it('without api says so privately, and a configured HTTP action still runs', async () => {
    const id = await postCircle('circlebare');
    const { slackTs, slackChannel } = await postedCopies(c, id, 'circlebare');
    await sendSlack(c, slackClick(encodeActionId('retry', { source: 'circlebare', id }), { channel: slackChannel, ts: slackTs, c }));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    expect(String(c.slack.calls('chat.postEphemeral')[0]!.text)).toContain('has no `api` with a token in the config, so Retry cannot re-run CircleCI workflows');
    expect(c.api.requests).toHaveLength(0);

    const reply = await retryOnSlack('circlehttp', await postCircle('circlehttp'));
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: `/hook/${WORKFLOW}` });
    expect(reply).toContain('retry action requested');
  });
});

describe('Retry on Buildkite', () => {
  it('rebuilds with a Bearer token, answering in the Discord follow-up', async () => {
    const id = await postBuildkite('build.finished');
    const { discordId } = await postedCopies(c, id, 'bk');
    await sendDiscord(c, discordClick(encodeActionId('retry', { source: 'bk', id }), { messageId: discordId, token: 'b1' }));
    await wait(() => expect(discordWebhookCalls(c, 'b1').followUps).toHaveLength(1));
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'PUT', path: '/bk/v2/organizations/acme/pipelines/webhook-service/builds/1042/rebuild', body: '' });
    expect(req.headers.authorization).toBe(`Bearer ${BK_TOKEN}`);
    expect(String(discordWebhookCalls(c, 'b1').followUps[0]!.content)).toContain('rebuild of webhook-service build 1042 requested');
    expectNoSecrets(BK_TOKEN);
  });

  it('finds the org of a job event from its web URL', async () => {
    await retryOnSlack('bk', await postBuildkite('job.finished'));
    expect(c.api.requests[0]).toMatchObject({ method: 'PUT', path: '/bk/v2/organizations/acme/pipelines/webhook-service/builds/1042/rebuild' });
  });

  it('an HTTP retry action\'s error never shows its credentials, bare or in the URL', async () => {
    c.api.answerNext(401, { message: `token ${HOOK_BEARER} is not valid for /hook/x?api_token=${HOOK_QUERY_TOKEN}` });
    const reply = await retryOnSlack('circletok', await postCircle('circletok'));
    expect(c.api.requests[0]!.headers.authorization).toBe(`Bearer ${HOOK_BEARER}`);
    expect(reply).toContain('answered 401 (token [redacted] is not valid for /hook/x?api_token=[redacted])');
    expectNoSecrets(HOOK_BEARER, HOOK_QUERY_TOKEN);
  });

  it('shows a 5xx without the token', async () => {
    c.api.answerNext(503, { message: `upstream down for ${BK_TOKEN}` });
    const reply = await retryOnSlack('bk', await postBuildkite('build.finished'));
    expect(reply).toContain('answered 503 (upstream down for [redacted])');
    expectNoSecrets(BK_TOKEN);
  });

  it('gives a timeout as the outcome', async () => {
    c.api.answerNext(200, {}, true);
    const reply = await retryOnSlack('bk', await postBuildkite('build.finished'));
    expect(reply).toMatch(/rebuild of webhook-service build 1042: 127\.0\.0\.1:\d+ did not answer within \d+s/);
  }, 20_000);
});

describe('Retry on Jenkins', () => {
  it('builds again with the same parameters, Basic user:apiToken, as a form', async () => {
    const reply = await retryOnSlack('jk', await postJenkins());
    expect(c.api.requests).toHaveLength(1);
    const req = c.api.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/jenkins/job/webhook-service/buildWithParameters', body: 'DEPLOY=false' });
    expect(req.headers.authorization).toBe(`Basic ${JK_BASIC}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(reply).toContain('new build of webhook-service with the same parameters requested');
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry again'));
    expectNoSecrets(JK_API_TOKEN, JK_BASIC);
  });

  it('builds a job in a folder without parameters at …/job/folder/job/name/build', async () => {
    const reply = await retryOnSlack('jk', await postJenkins((p) => {
      p.url = 'job/team%20a/job/webhook-service/';
      p.build.parameters = {};
    }));
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: '/jenkins/job/team%20a/job/webhook-service/build', body: '' });
    expect(reply).toContain('new build of team a/webhook-service requested');
  });

  it('reads a folder/job name when the payload has no job url', async () => {
    await retryOnSlack('jk', await postJenkins((p) => {
      p.name = 'team/app';
      delete p.url;
      delete p.build.parameters;
    }));
    expect(c.api.requests[0]).toMatchObject({ method: 'POST', path: '/jenkins/job/team/job/app/build' });
  });

  it('fetches a CSRF crumb after a 403 and sends it, with the session cookie, as the header it names', async () => {
    c.api.answerNext(403, '<html><body>No valid crumb was included in the request</body></html>', false, { 'content-type': 'text/html' });
    c.api.answerNext(200, { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb: 'c0ffee42', crumbRequestField: 'Jenkins-Crumb' }, false, {
      'set-cookie': ['JSESSIONID.abc123=node0xyz; Path=/; HttpOnly'],
    });
    c.api.answerNext(201, {});
    const reply = await retryOnSlack('jk', await postJenkins());
    expect(c.api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /jenkins/job/webhook-service/buildWithParameters',
      'GET /jenkins/crumbIssuer/api/json',
      'POST /jenkins/job/webhook-service/buildWithParameters',
    ]);
    const [first, crumb, second] = c.api.requests;
    expect(first!.headers['jenkins-crumb']).toBeUndefined();
    expect(crumb!.headers.authorization).toBe(`Basic ${JK_BASIC}`);
    expect(second!.headers).toMatchObject({ 'jenkins-crumb': 'c0ffee42', cookie: 'JSESSIONID.abc123=node0xyz', authorization: `Basic ${JK_BASIC}` });
    expect(second!.body).toBe('DEPLOY=false');
    expect(reply).toContain('requested (127.0.0.1');
    expect(reply).toContain('answered 201)');
  });

  it('keeps a 403 when Jenkins has no crumb issuer, with a reason and not the HTML page', async () => {
    c.api.answerNext(403, `<html><body>robot is missing the Job/Build permission ${JK_API_TOKEN}</body></html>`, false, { 'content-type': 'text/html' });
    c.api.answerNext(404, '<html>Not Found</html>', false, { 'content-type': 'text/html' });
    const reply = await retryOnSlack('jk', await postJenkins());
    expect(c.api.requests).toHaveLength(2);
    expect(reply).toContain('failed');
    expect(reply).toMatch(/answered 403 \(the user may not build this job\)$/);
    await wait(() => expect(text(c.slack.calls('chat.update').at(-1))).toContain('Retry (failed)'));
    expectNoSecrets(JK_API_TOKEN, JK_BASIC);
  });

  it('shows a rejected token as a 401 without sending a crumb request', async () => {
    c.api.answerNext(401, '<html>Unauthorized</html>', false, { 'content-type': 'text/html' });
    const reply = await retryOnSlack('jk', await postJenkins());
    expect(c.api.requests).toHaveLength(1);
    expect(reply).toContain('answered 401 (the user or API token was not accepted)');
    expectNoSecrets(JK_API_TOKEN, JK_BASIC);
  });

  it('gives a timeout as the outcome', async () => {
    c.api.answerNext(200, {}, true);
    const reply = await retryOnSlack('jk', await postJenkins());
    expect(reply).toMatch(/new build of webhook-service with the same parameters: 127\.0\.0\.1:\d+ did not answer within \d+s/);
  }, 20_000);

  it('says privately that the token must be user:apiToken, calling nothing', async () => {
    const id = await postJenkins(undefined, 'jkbad');
    const { slackTs, slackChannel } = await postedCopies(c, id, 'jkbad');
    await sendSlack(c, slackClick(encodeActionId('retry', { source: 'jkbad', id }), { channel: slackChannel, ts: slackTs, c }));
    await wait(() => expect(c.slack.calls('chat.postEphemeral')).toHaveLength(1));
    const answer = String(c.slack.calls('chat.postEphemeral')[0]!.text);
    expect(answer).toContain('must be `user:apiToken`');
    expect(answer).not.toContain(JK_API_TOKEN);
    expect(c.api.requests).toHaveLength(0);
  });
});
