import { privately, unknownSource, type Command } from './command.js';

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
    if (!active) return privately(ix, `\`${source}\` was not muted.`);
    const by = ix.user.name || ix.user.id;
    await deps.audit.append({ at: deps.now().toISOString(), platform: ix.platform, userId: ix.user.id, user: by, action: 'unmute', subject: source });
    await privately(ix, `🔔 Unmuted \`${source}\` (muted by ${active.by}).`);
  },
};
