import type { Command } from './command.js';

/** The help text lists every command from the registry it is given. */
export function helpCommand(all: () => Readonly<Record<string, Command>>): Command {
  return {
    admin: false,
    usage: 'help',
    summary: 'this list',
    async run(_deps, ix) {
      const lines = Object.values(all()).map((c) => `• \`${c.usage.split(',')[0]}\`: ${c.summary}${c.admin ? ' (admins)' : ''}`);
      await ix.reply({ visibility: 'private', text: ['hookbridge commands:', ...lines, 'Buttons on messages: Ack, Retry, Mute (1h; admins), Resolve.'].join('\n') });
    },
  };
}
