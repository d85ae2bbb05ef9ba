import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { DEFAULT_MUTE_MS } from './commands/mute-args.js';
import { parseDuration } from './duration.js';
import { formatDuration } from '../render/helpers/time.js';

// Application command option types (discord-api-docs, application-commands: option types).
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;

const source = { type: STRING, name: 'source', description: 'source id from the config', required: true };

/** `/hookbridge` with one sub-command per chat command; the same words as on Slack. */
export const HOOKBRIDGE_COMMAND = {
  name: 'hookbridge',
  type: 1,
  description: 'hookbridge chat-ops: mute, unmute, replay, status, help',
  options: [
    {
      type: SUB_COMMAND, name: 'mute', description: 'silence a source for a while (admins)',
      options: [source, { type: STRING, name: 'duration', description: 'e.g. 30m, 2h, 1d (default 1h)' }, { type: STRING, name: 'reason', description: 'why' }],
    },
    { type: SUB_COMMAND, name: 'unmute', description: 'end a mute now (admins)', options: [source] },
    {
      type: SUB_COMMAND, name: 'replay', description: 're-send stored events (admins)',
      options: [
        source,
        { type: STRING, name: 'since', description: 'events from this long ago, e.g. 2h' },
        { type: INTEGER, name: 'last', description: 'the last N events', min_value: 1, max_value: 100 },
        { type: STRING, name: 'event', description: 'one event id' },
        { type: STRING, name: 'to', description: 'target instead of the routes, e.g. discord:123 or slack:#ops' },
      ],
    },
    { type: SUB_COMMAND, name: 'status', description: 'sources, mutes, queue and dead letters' },
    { type: SUB_COMMAND, name: 'help', description: 'what hookbridge can do' },
  ],
} as const;

export interface CommandOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly options?: readonly CommandOption[];
}

/** Options of a sub-command → the words a Slack user would have typed, so one parser serves both. */
export function commandWords(sub: CommandOption): { name: string; args: string[] } {
  const opt = (n: string) => {
    const v = sub.options?.find((o) => o.name === n)?.value;
    return v === undefined ? undefined : String(v).trim();
  };
  const words = (v: string | undefined) => (v ? v.split(/\s+/).filter(Boolean) : []);
  const src = words(opt('source'));
  if (sub.name === 'mute') {
    const reason = words(opt('reason'));
    // A reason alone must not be read as a duration, so the default is spelled out before it; and
    // what was given as the duration must be one, not slip into the reason.
    const given = opt('duration');
    if (given !== undefined && parseDuration(given) === undefined) return { name: 'mute', args: [...src, '--duration', given, ...reason] };
    const duration = given ?? (reason.length > 0 ? formatDuration(DEFAULT_MUTE_MS) : undefined);
    return { name: 'mute', args: [...src, ...words(duration), ...reason] };
  }
  if (sub.name === 'replay') {
    const flag = (f: string, v: string | undefined) => (v ? [f, v] : []);
    return { name: 'replay', args: [...src, ...flag('--since', opt('since')), ...flag('--last', opt('last')), ...words(opt('event')), ...flag('--to', opt('to'))] };
  }
  return { name: sub.name, args: src };
}

export interface RegisterOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiUrl?: string;
  readonly timeoutMs: number;
}

/** Bulk overwrite (PUT) is idempotent: registering at every start leaves exactly this command set. */
export async function registerDiscordCommands(o: RegisterOptions): Promise<void> {
  const rest = new REST({ api: o.apiUrl ?? 'https://discord.com/api', retries: 1, timeout: o.timeoutMs }).setToken(o.token);
  await rest.put(Routes.applicationCommands(o.applicationId), { body: [HOOKBRIDGE_COMMAND] });
}
