import type { ActionName } from '../render/message.js';
import { decodeActionId } from './action-id.js';
import type { ActionHandler } from './actions/action-context.js';
import { ack } from './actions/ack.js';
import { mute } from './actions/mute.js';
import { resolve } from './actions/resolve.js';
import { retry } from './actions/retry.js';
import { isAdmin } from './admins.js';
import type { Command } from './commands/command.js';
import { helpCommand } from './commands/help.js';
import { mute as muteCommand } from './commands/mute.js';
import { replay } from './commands/replay.js';
import { status } from './commands/status.js';
import { unmute } from './commands/unmute.js';
import type { InteractDeps } from './interact-deps.js';
import { isCopyOf } from './message-copies.js';
import type { Interaction } from './interaction.js';

const ACTIONS: Readonly<Record<ActionName, ActionHandler>> = { ack, retry, mute, resolve };
const ADMIN_ACTIONS: ReadonlySet<ActionName> = new Set(['mute']);

export const COMMANDS: Readonly<Record<string, Command>> = {
  mute: muteCommand,
  unmute,
  replay,
  status,
  help: helpCommand(() => COMMANDS),
};

const privately = (ix: Interaction, text: string) => ix.reply({ visibility: 'private', text });

async function handleButton(deps: InteractDeps, ix: Interaction): Promise<void> {
  const decoded = decodeActionId(ix.name);
  if (!decoded) return privately(ix, 'That button is not one hookbridge knows (unknown action); nothing was done.');
  // `admins` says who may mute; the button mutes the whole source just as the command does.
  if (ADMIN_ACTIONS.has(decoded.action) && !isAdmin(deps.runtime().config.admins, ix.user)) {
    const label = decoded.action[0]!.toUpperCase() + decoded.action.slice(1);
    return privately(ix, `Sorry, ${label} is for hookbridge admins only; nothing was done. Ask an admin, or see \`status\`.`);
  }
  const source = deps.runtime().sources.get(decoded.ref.source);
  if (!source) return privately(ix, `The source \`${decoded.ref.source}\` of this message is no longer configured; nothing was done.`);
  const event = await deps.store.events.get(decoded.ref);
  if (!event) {
    return privately(ix, `This message's event (\`${decoded.ref.id}\`) has expired from the event log, so ${decoded.action} can no longer act on it.`);
  }
  if (!(await isCopyOf(deps, event, ix.message))) {
    return privately(ix, `That button names \`${decoded.ref.source}/${decoded.ref.id}\`, which is not the event of this message; nothing was done.`);
  }
  await ACTIONS[decoded.action]({ deps, ix, event, source });
}

async function handleCommand(deps: InteractDeps, ix: Interaction): Promise<void> {
  // Own keys only: `constructor` or `toString` typed as a command must not reach Object.prototype.
  const command = Object.hasOwn(COMMANDS, ix.name) ? COMMANDS[ix.name] : undefined;
  if (!command) {
    await privately(ix, `Unknown command \`${ix.name}\`. Try \`help\`: ${Object.keys(COMMANDS).join(', ')}.`);
    return;
  }
  if (command.admin && !isAdmin(deps.runtime().config.admins, ix.user)) {
    await privately(ix, `Sorry, \`${ix.name}\` is for hookbridge admins only. Ask an admin, or see \`status\`.`);
    return;
  }
  await command.run(deps, ix);
}

/**
 * The one seam between the platform receivers and the core. Never throws: whatever goes wrong
 * is logged and the person who acted hears about it privately.
 */
export function createInteractionHandler(deps: InteractDeps): (ix: Interaction) => Promise<void> {
  return async (ix) => {
    try {
      if (ix.kind === 'button') await handleButton(deps, ix);
      else await handleCommand(deps, ix);
    } catch (err) {
      deps.log.error({ platform: ix.platform, kind: ix.kind, name: ix.name, err: err instanceof Error ? err.message : String(err) }, 'interaction failed');
      await privately(ix, 'Sorry, that failed on our side; it has been logged.').catch(() => undefined);
    }
  };
}
