import type { MuteStore } from '../../store/types.js';
import type { Delivery } from '../delivery.js';
import type { Stage } from '../stage.js';

/**
 * Muted sources are recorded but not posted. This is the place where grouping (several events,
 * one message) will act later: both decide, before rendering, whether this event speaks now.
 */
export function muteStage(mutes: MuteStore): Stage<Delivery> {
  return {
    name: 'mute',
    async run(d, env) {
      // A replay is someone asking for this event explicitly, so a mute does not swallow it.
      if (d.job.replay) return d;
      const mute = await mutes.get(d.event.source);
      if (!mute || Date.parse(mute.until) <= env.now().getTime()) return d;
      env.log.info({ source: d.event.source, event: d.event.id, target: d.job.target, until: mute.until }, 'source muted: recorded, not posted');
      return undefined;
    },
  };
}
