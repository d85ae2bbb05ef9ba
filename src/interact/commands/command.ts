import type { InteractDeps } from '../interact-deps.js';
import type { Interaction } from '../interaction.js';

export interface Command {
  /** Only `admins` may run it. */
  readonly admin: boolean;
  readonly usage: string;
  readonly summary: string;
  run(deps: InteractDeps, ix: Interaction): Promise<void>;
}

/** A refusal or a usage error, answered privately. */
export const privately = (ix: Interaction, text: string): Promise<void> => ix.reply({ visibility: 'private', text });

/** Source ids the config knows, for "unknown source" answers. */
export function unknownSource(deps: InteractDeps, source: string): string | undefined {
  const known = [...deps.runtime().sources.keys()];
  if (known.includes(source)) return undefined;
  return `Unknown source \`${source}\`. Known sources: ${known.length > 0 ? known.map((s) => `\`${s}\``).join(', ') : '(none configured)'}.`;
}
