import type { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { toDiscordMessage } from '../chat/discord-payload.js';
import { clip } from '../render/clip.js';
import { commandWords, type CommandOption } from './discord-commands.js';
import type { Interaction, Reply, UserRef } from './interaction.js';

/** Interaction types and flags (discord-api-docs, receiving-and-responding). */
export const PING = 1;
export const APPLICATION_COMMAND = 2;
export const MESSAGE_COMPONENT = 3;
const EPHEMERAL = 64;
/** Message content limit. */
const CONTENT_MAX = 2000;

interface DiscordUser {
  id?: string;
  username?: string;
  global_name?: string | null;
}

export interface DiscordInteractionPayload {
  type?: number;
  token?: string;
  application_id?: string;
  channel_id?: string;
  member?: { user?: DiscordUser; roles?: string[] };
  user?: DiscordUser;
  message?: { id?: string; channel_id?: string };
  data?: { custom_id?: string; name?: string; options?: CommandOption[] };
}

function userOf(p: DiscordInteractionPayload): UserRef | undefined {
  const u = p.member?.user ?? p.user;
  if (!u?.id) return undefined;
  return { platform: 'discord', id: u.id, name: u.global_name || u.username || u.id, roles: p.member?.roles ?? [] };
}

const body = (r: Reply) => ({
  content: clip(r.text, CONTENT_MAX),
  allowed_mentions: { parse: [] },
  ...(r.visibility === 'private' && { flags: EPHEMERAL }),
});

/**
 * A button click (answered at once with DEFERRED_UPDATE_MESSAGE) or a `/hookbridge` command
 * (answered with an ephemeral deferred reply). Everything after goes through the interaction's
 * webhook, which needs no bot token and is not bound by the global rate limit.
 */
export function discordInteraction(p: DiscordInteractionPayload, rest: REST): Interaction | undefined {
  const user = userOf(p);
  const app = p.application_id;
  const token = p.token;
  if (!user || !app || !token) return undefined;
  const followUp = (r: Reply) => rest.post(Routes.webhook(app, token), { body: body(r), auth: false });
  const editOriginal = (b: object) => rest.patch(Routes.webhookMessage(app, token, '@original'), { body: b, auth: false });
  if (p.type === MESSAGE_COMPONENT && p.data?.custom_id) {
    const channel = p.message?.channel_id ?? p.channel_id;
    return {
      platform: 'discord',
      user,
      kind: 'button',
      name: p.data.custom_id,
      args: [],
      ...(channel && p.message?.id && { message: { platform: 'discord' as const, channel, id: p.message.id } }),
      reply: async (r) => void (await followUp(r)),
      updateOriginal: async (msg) => void (await editOriginal(toDiscordMessage(msg))),
    };
  }
  const sub = p.data?.options?.[0];
  if (p.type !== APPLICATION_COMMAND || p.data?.name !== 'hookbridge') return undefined;
  const { name, args } = sub ? commandWords(sub) : { name: 'help', args: [] };
  let answered = false;
  return {
    platform: 'discord',
    user,
    kind: 'command',
    name,
    args,
    async reply(r) {
      // The deferred answer was ephemeral: the first private reply fills it in, the rest follow.
      if (!answered && r.visibility === 'private') {
        answered = true;
        await editOriginal({ content: clip(r.text, CONTENT_MAX), allowed_mentions: { parse: [] } });
        return;
      }
      await followUp(r);
    },
  };
}
