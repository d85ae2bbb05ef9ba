import { REST } from '@discordjs/rest';
import { Routes, type APIMessage } from 'discord.js';
import { surfaced } from './classify.js';
import { toDiscordMessage } from './discord-payload.js';
import type { ChatTarget } from './target.js';

export interface DiscordTargetOptions {
  /** Bot token. */
  readonly token: string;
  /** API base URL without version; tests point it at a fake. */
  readonly apiUrl?: string;
  readonly timeoutMs: number;
}

/**
 * Discord through discord.js REST. No retries, and every rate limit rejects instead of being
 * waited out inside the client: the durable queue owns retries (see classify for the mapping).
 */
export function createDiscordTarget(o: DiscordTargetOptions): ChatTarget {
  const rest = new REST({
    api: o.apiUrl ?? 'https://discord.com/api',
    retries: 0,
    timeout: o.timeoutMs,
    rejectOnRateLimit: () => true,
  });
  // REST forgets its token after any 401; set it per call so one bad answer does not poison the rest.
  const client = (): REST => rest.setToken(o.token);

  return {
    platform: 'discord',
    post: (channel, msg) =>
      surfaced(async () => {
        const m = (await client().post(Routes.channelMessages(channel), { body: toDiscordMessage(msg) })) as APIMessage;
        return { platform: 'discord', channel, id: m.id };
      }),
    update: (ref, msg) =>
      surfaced(async () => {
        await client().patch(Routes.channelMessage(ref.channel, ref.id), { body: toDiscordMessage(msg) });
      }),
    reply: (ref, msg) =>
      surfaced(async () => {
        const body = { ...toDiscordMessage(msg), message_reference: { message_id: ref.id, fail_if_not_exists: false } };
        const m = (await client().post(Routes.channelMessages(ref.channel), { body })) as APIMessage;
        return { platform: 'discord', channel: ref.channel, id: m.id };
      }),
  };
}
