import { formatDuration, formatUtc } from '../../render/helpers/time.js';
import { privately, unknownSource, type Command } from './command.js';
import { MUTE_USAGE, parseMuteArgs } from './mute-args.js';

export const mute: Command = {
  admin: true,
  usage: MUTE_USAGE,
  summary: 'silence a source for a while (still recorded, replayable)',
  async run(deps, ix) {
    const parsed = parseMuteArgs(ix.args);
    if ('error' in parsed) return privately(ix, parsed.error);
    const unknown = unknownSource(deps, parsed.source);
    if (unknown) return privately(ix, unknown);
    const now = deps.now();
    const until = new Date(now.getTime() + parsed.durationMs).toISOString();
    const by = ix.user.name || ix.user.id;
    await deps.store.mutes.set({ source: parsed.source, until, by, ...(parsed.reason && { reason: parsed.reason }) });
    await deps.audit.append({
      at: now.toISOString(), platform: ix.platform, userId: ix.user.id, user: by, action: 'mute', subject: parsed.source,
      detail: `until ${until}${parsed.reason ? `: ${parsed.reason}` : ''}`,
    });
    const why = parsed.reason ? ` Reason: ${parsed.reason}` : '';
    await privately(ix, `🔕 Muted \`${parsed.source}\` for ${formatDuration(parsed.durationMs)}, until ${formatUtc(new Date(until))}.${why}`);
  },
};
