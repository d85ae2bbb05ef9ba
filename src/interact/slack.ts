import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { escapeSlack, unescapeSlack } from '../render/escape.js';
import type { Interaction, Reply, UserRef } from './interaction.js';

/** How long a response_url post may take; the answer is best effort once the request was acked. */
const RESPONSE_URL_TIMEOUT_MS = 5_000;

interface BlockActionsPayload {
  type: 'block_actions';
  user?: { id?: string; username?: string; name?: string };
  channel?: { id?: string };
  message?: { ts?: string };
  response_url?: string;
  actions?: { action_id?: string; value?: string }[];
}

/** A response_url that answered with a refusal (Slack: expired after 30 minutes, or used 5 times). */
class ResponseUrlRefused extends Error {}

async function postResponseUrl(url: string, body: object): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
  });
  if (!res.ok) throw new ResponseUrlRefused(`response_url answered ${res.status}`);
}

/**
 * A slash command (`/hookbridge mute gh 2h`): answers go back through its response_url, or, when
 * Slack refuses that (expired, used up) or there is none, from the bot into the channel it was typed
 * in. A timeout is not retried that way: the answer may have arrived.
 */
export function slackCommand(form: URLSearchParams, client: () => WebClient | undefined = () => undefined): Interaction | undefined {
  const userId = form.get('user_id');
  if (!form.get('command') || !userId) return undefined;
  // Slack sends command text with `&`, `<` and `>` escaped; replies escape it again on the way out.
  const [name = 'help', ...args] = unescapeSlack(form.get('text') ?? '').trim().split(/\s+/).filter(Boolean);
  const responseUrl = form.get('response_url');
  const channel = form.get('channel_id');
  const user: UserRef = { platform: 'slack', id: userId, name: form.get('user_name') || userId, roles: [] };
  return {
    platform: 'slack',
    user,
    kind: 'command',
    name: name.toLowerCase(),
    args,
    async reply(r: Reply) {
      const text = escapeSlack(r.text);
      const responseType = r.visibility === 'private' ? 'ephemeral' : 'in_channel';
      try {
        if (!responseUrl) throw new ResponseUrlRefused('slash command without response_url');
        await postResponseUrl(responseUrl, { response_type: responseType, text });
      } catch (err) {
        const web = client();
        if (!(err instanceof ResponseUrlRefused) || !web || !channel) throw err;
        if (r.visibility === 'private') await web.chat.postEphemeral({ channel, user: userId, text });
        else await web.chat.postMessage({ channel, text });
      }
    },
  };
}

/** A button click (`block_actions`): private answers are ephemeral, public ones go in the message's thread. */
export function slackButton(payload: BlockActionsPayload, client: () => WebClient | undefined): Interaction | undefined {
  const action = payload.actions?.[0];
  const userId = payload.user?.id;
  if (!action?.action_id || !userId) return undefined;
  const channel = payload.channel?.id;
  const ts = payload.message?.ts;
  const user: UserRef = { platform: 'slack', id: userId, name: payload.user?.username || payload.user?.name || userId, roles: [] };
  return {
    platform: 'slack',
    user,
    kind: 'button',
    name: action.action_id,
    args: [],
    ...(channel && ts && { message: { platform: 'slack' as const, channel, id: ts } }),
    async reply(r: Reply) {
      const text = escapeSlack(r.text);
      const web = client();
      if (web && channel) {
        try {
          if (r.visibility === 'private') return void (await web.chat.postEphemeral({ channel, user: userId, text }));
          return void (await web.chat.postMessage({ channel, text, ...(ts && { thread_ts: ts }) }));
        } catch (err) {
          // Slack refused the bot here (not_in_channel: removed since it posted, channel_not_found in
          // a private channel); the response_url needs no membership. A timeout may have posted.
          if (!(err instanceof WebAPIPlatformError) || !payload.response_url) throw err;
        }
      }
      // No bot token (or no channel): the response_url still reaches the person.
      if (!payload.response_url) throw new Error('no way to answer this Slack action');
      const responseType = r.visibility === 'private' ? 'ephemeral' : 'in_channel';
      await postResponseUrl(payload.response_url, { response_type: responseType, replace_original: false, text });
    },
  };
}

/** Form body → Interaction; undefined for payloads hookbridge does not act on (they are still acked). */
export function slackInteraction(form: URLSearchParams, client: () => WebClient | undefined): Interaction | undefined | 'malformed' {
  const raw = form.get('payload');
  if (raw === null) return form.get('command') ? (slackCommand(form, client) ?? 'malformed') : 'malformed';
  let payload: { type?: unknown };
  try {
    payload = JSON.parse(raw) as { type?: unknown };
  } catch {
    return 'malformed';
  }
  if (payload.type !== 'block_actions') return undefined;
  return slackButton(payload as BlockActionsPayload, client) ?? 'malformed';
}
