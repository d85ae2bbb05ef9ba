import { describe, expect, it } from 'vitest';
import { httpRetry } from '../../../src/interact/actions/retry-http.js';
import { applyMessageState } from '../../../src/interact/message-state.js';
import type { NeutralMessage } from '../../../src/render/message.js';
import type { StoredEvent } from '../../../src/store/types.js';

const msg: NeutralMessage = {
  title: 'Run 42 failed', severity: 'error', fields: [], fallback: 'Run 42 failed',
  actions: [{ action: 'ack', label: 'Ack', id: 'hb:ack:gh:1' }, { action: 'retry', label: 'Retry', id: 'hb:retry:gh:1' }],
};

describe('applyMessageState', () => {
  it('adds status lines escaped for the platform and restyles the buttons named', () => {
    const state = { status: ['✅ Acknowledged by <!channel> ana'], ackedBy: 'ana', buttons: { ack: { label: 'Acked by ana', disabled: true } } };
    const slack = applyMessageState(msg, state, 'slack');
    expect(slack.status).toEqual(['✅ Acknowledged by &lt;!channel&gt; ana']);
    expect(slack.actions[0]).toMatchObject({ label: 'Acked by ana', disabled: true, id: 'hb:ack:gh:1' });
    expect(slack.actions[1]).toEqual(msg.actions[1]);
    expect(applyMessageState(msg, { status: ['by @everyone'] }, 'discord').status).toEqual(['by @\u200beveryone']);
  });

  it('leaves a message without state as it was', () => {
    expect(applyMessageState(msg, { status: [] }, 'slack')).toEqual(msg);
  });
});

describe('httpRetry', () => {
  const event: StoredEvent = { source: 'ci', id: 'e1', type: 'job.failed', receivedAt: '2024-05-01T12:00:00Z', headers: {}, payload: { job: { id: 7, name: 'a b' } } };

  it('renders url and body over the payload and keeps header secrets for scrubbing', () => {
    const plan = httpRetry(event, { url: 'https://ci.example.com/jobs/{{job.id}}/retry?n={{urlencode job.name}}', method: 'POST', headers: { 'x-api-key': 'k-secret' }, body: '{"job": {{json job}} }' });
    expect(plan).toMatchObject({
      kind: 'request',
      secrets: ['k-secret'],
      request: { url: 'https://ci.example.com/jobs/7/retry?n=a%20b', method: 'POST', body: '{"job": {"id":7,"name":"a b"} }', headers: { 'content-type': 'application/json', 'x-api-key': 'k-secret' } },
    });
  });

  it('explains a url that does not render to a URL, and is absent without config', () => {
    expect(httpRetry(event, { url: '{{missing}}/retry' })).toMatchObject({ kind: 'unavailable' });
    expect(httpRetry(event, undefined)).toBeUndefined();
  });
});
