import type { HookbridgeConfig } from '../config/schema.js';
import { createConsoleTarget } from './console.js';
import { createDiscordTarget } from './discord.js';
import { createSlackTarget } from './slack.js';
import type { ChatTarget } from './target.js';

export interface ResolvedTarget {
  readonly target: ChatTarget;
  readonly channel: string;
}

export interface ChatTargets {
  /** `slack:#ci` → the Slack client and `#ci`; undefined when that platform is not configured. */
  resolve(target: string): ResolvedTarget | undefined;
  readonly enabled: readonly ('slack' | 'discord' | 'console')[];
}

/** One client per configured platform, built once per config version. */
export function createChatTargets(config: HookbridgeConfig, o: { consoleOut?: NodeJS.WritableStream } = {}): ChatTargets {
  const timeoutMs = config.delivery.timeout;
  const slack = config.slack?.token ? createSlackTarget({ token: config.slack.token, apiUrl: config.slack.apiUrl, timeoutMs }) : undefined;
  const discord = config.discord?.token
    ? createDiscordTarget({ token: config.discord.token, apiUrl: config.discord.apiUrl, timeoutMs })
    : undefined;
  const consoleTarget = createConsoleTarget({ out: o.consoleOut });
  return {
    enabled: [...(slack ? ['slack' as const] : []), ...(discord ? ['discord' as const] : []), 'console'],
    resolve(target) {
      if (target === 'console') return { target: consoleTarget, channel: 'console' };
      const [platform, ...rest] = target.split(':');
      const channel = rest.join(':');
      if (platform === 'slack' && slack && channel) return { target: slack, channel };
      if (platform === 'discord' && discord && channel) return { target: discord, channel };
      return undefined;
    },
  };
}
