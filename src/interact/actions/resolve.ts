import type { ActionContext } from './action-context.js';

/** Resolving at the provider (PagerDuty, Opsgenie, Sentry) is not built yet: say so plainly. */
export async function resolve(c: ActionContext): Promise<void> {
  await c.ix.reply({
    visibility: 'private',
    text: `Resolve is not available for \`${c.event.source}\` (${c.source.cfg.type}) yet; resolve it in the provider for now.`,
  });
}
