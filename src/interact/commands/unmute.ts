import { privately, unknownSource, type Command } from './command.js';
import { expireSilences } from './expire-silences.js';

export const unmute: Command = {
  admin: true,
  usage: 'unmute <source>',
  summary: 'end a mute now',
  async run(deps, ix) {
    const [source, extra] = ix.args;
    if (!source || extra !== undefined) return privately(ix, 'Usage: unmute <source>');
    const unknown = unknownSource(deps, source);
    if (unknown) return privately(ix, unknown);
    const active = await deps.store.mutes.get(source);
    await deps.store.mutes.clear(source);
    // Silences live as long as the mute that made them, so there are none left once it has ended.
    const silences = await expireSilences(deps, source);
    if (!active) return privately(ix, [`\`${source}\` was not muted.`, ...silences].join('\n'));
    const by = ix.user.name || ix.user.id;
    await deps.audit.append({ at: deps.now().toISOString(), platform: ix.platform, userId: ix.user.id, user: by, action: 'unmute', subject: source });
    await privately(ix, [`🔔 Unmuted \`${source}\` (muted by ${active.by}).`, ...silences].join('\n'));
  },
};
