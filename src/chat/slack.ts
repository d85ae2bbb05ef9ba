import { LogLevel, WebClient } from '@slack/web-api';
import type { NeutralMessage } from '../render/message.js';
import { surfaced } from './classify.js';
import { toSlackMessage } from './slack-blocks.js';
import type { ChatTarget, MessageRef } from './target.js';

export interface SlackTargetOptions {
  /** Bot token (`xoxb-…`). */
  readonly token: string;
  /** Web API base URL; tests point it at a fake. */
  readonly apiUrl?: string;
  readonly timeoutMs: number;
}

/**
 * Slack through the same WebClient Bolt uses. The client's own retries and rate-limit waits are
 * switched off: a 429 or a failure surfaces at once as a ChatError and the durable queue decides
 * when to try again, so nothing sleeps inside a worker and nothing is lost on a crash.
 */
export function createSlackTarget(o: SlackTargetOptions): ChatTarget {
  const client = new WebClient(o.token, {
    slackApiUrl: withTrailingSlash(o.apiUrl ?? 'https://slack.com/api/'),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs,
    logLevel: LogLevel.ERROR,
  });

  async function postTo(channel: string, msg: NeutralMessage, threadTs?: string): Promise<MessageRef> {
    const answer = await client.chat.postMessage({
      channel,
      ...toSlackMessage(msg),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    });
    // chat.update needs the channel id; a `#name` given to postMessage comes back resolved.
    return { platform: 'slack', channel: answer.channel ?? channel, id: String(answer.ts) };
  }

  return {
    platform: 'slack',
    post: (channel, msg) => surfaced(() => postTo(channel, msg)),
    update: (ref, msg) =>
      surfaced(async () => {
        await client.chat.update({ channel: ref.channel, ts: ref.id, ...toSlackMessage(msg) });
      }),
    reply: (ref, msg) => surfaced(() => postTo(ref.channel, msg, ref.id)),
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
