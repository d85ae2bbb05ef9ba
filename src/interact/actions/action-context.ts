import type { ConfiguredSource } from '../../pipeline/runtime.js';
import type { StoredEvent } from '../../store/types.js';
import type { InteractDeps } from '../interact-deps.js';
import type { Interaction } from '../interaction.js';

/** What a button handler gets: the event its message shows (found in the log) and its source. */
export interface ActionContext {
  readonly deps: InteractDeps;
  readonly ix: Interaction;
  readonly event: StoredEvent;
  readonly source: ConfiguredSource;
}

export type ActionHandler = (c: ActionContext) => Promise<void>;

/** The name people see for who acted. */
export const actor = (c: Pick<ActionContext, 'ix'>): string => c.ix.user.name || c.ix.user.id;
