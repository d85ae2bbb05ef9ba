import { alertmanager } from './alertmanager.js';
import { generic } from './generic.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { standard } from './standard.js';
import { stripe } from './stripe.js';
import type { AnySourceType } from './types.js';

/** Every supported source type, listed explicitly (no discovery by file name). */
export const sourceTypes: readonly AnySourceType[] = [github, gitlab, stripe, alertmanager, standard, generic];

const byType = new Map(sourceTypes.map((s) => [s.type, s]));

export function findSourceType(type: string): AnySourceType | undefined {
  return byType.get(type);
}
