import type { HookbridgeConfig } from '../config/schema.js';
import type { UserRef } from './interaction.js';

/** Slack admins are user ids; Discord admins are user ids or ids of roles the member has. */
export function isAdmin(admins: HookbridgeConfig['admins'], user: UserRef): boolean {
  if (user.platform === 'slack') return admins.slack.includes(user.id);
  return admins.discord.includes(user.id) || user.roles.some((r) => admins.discord.includes(r));
}
