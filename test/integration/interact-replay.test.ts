import { afterEach, describe, expect, it, vi } from 'vitest';
import { postedCopies, postWorkflowRun, sendSlack, slackSlash, startChatOps, GH_SECRET, type ChatOps } from './interact-harness.js';

let c: ChatOps;
afterEach(() => c.close());

const wait = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 20 });
const posts = (channel: string) => c.slack.calls('chat.postMessage').filter((m) => m.channel === channel && !m.thread_ts);

async function command(text: string, id: string, user?: string): Promise<string> {
  await sendSlack(c, slackSlash(text, { responseId: id, c, ...(user && { user }) }));
  await wait(() => expect(c.slack.responses(id)).toHaveLength(1));
  return String(c.slack.responses(id)[0]!.text);
}

describe('replay', () => {
  it('re-sends stored events as replays (even while muted) and leaves dedupe alone', async () => {
    c = await startChatOps();
    const id = await postWorkflowRun(c);
    await postedCopies(c, id);
    await command('mute gh 1h', 'm');
    expect(await command('replay gh --last 1 --to slack:#replays', 'r')).toContain('Replaying 1 event of `gh`: 1 delivery queued');
    await wait(() => expect(posts('#replays')).toHaveLength(1));
    // A second replay is a new job (its own id), not swallowed as the same one.
    await command(`replay gh ${id} --to slack:#replays`, 'r2');
    await wait(() => expect(c.slack.calls('chat.update').length + posts('#replays').length).toBeGreaterThanOrEqual(2));
    // The provider's redelivery of the same event is still a duplicate.
    const body = JSON.stringify({ action: 'completed', workflow_run: { id: 42 }, repository: { full_name: 'acme/app' } });
    const { sign } = await import('@octokit/webhooks-methods');
    const again = await fetch(`${c.app.url}/hooks/gh`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': id, 'x-hub-signature-256': await sign(GH_SECRET, body) },
    });
    expect(again.status).toBe(200);
    const audit = await c.app.hb.store.kv.get<{ action: string }[]>('audit:log');
    expect(audit?.map((a) => a.action)).toEqual(['mute', 'replay', 'replay']);
  });

  it('answers bad replays clearly and refuses non-admins', async () => {
    c = await startChatOps();
    expect(await command('replay gh --last 1', 'n', 'U0NOBODY')).toContain('admins only');
    expect(await command('replay gh no-such-event', 'e')).toContain('No stored events of `gh`');
    expect(await command('replay gh --since 2x', 's')).toContain('`2x` is not a valid duration');
    expect(await command('replay gh --to nowhere', 't')).toContain('`nowhere` is not a target');
    expect(await command('replay nosuch', 'u')).toContain('Unknown source `nosuch`');
  });
});

describe('mute expiry', () => {
  it('ends on its own: events post again after the duration', async () => {
    let offset = 0;
    c = await startChatOps({ now: () => new Date(Date.now() + offset) });
    await command('mute gh 30m', 'm');
    expect(await c.app.hb.store.mutes.get('gh')).toBeDefined();
    await postWorkflowRun(c);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts('#ci').length + posts(c.slack.channelId('#ci')).length).toBe(0);
    offset = 31 * 60_000;
    expect(await c.app.hb.store.mutes.get('gh')).toBeUndefined();
    await postWorkflowRun(c, { conclusion: 'success' });
    await wait(() => expect(c.slack.calls('chat.postMessage').length).toBeGreaterThanOrEqual(1));
  });
});
