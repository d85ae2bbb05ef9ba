import { readFile } from 'node:fs/promises';
import { loadSource } from './load-source.js';
import { BUILTIN_TEMPLATES } from '../main.js';
import { createRenderer } from '../render/renderer.js';
import { toDiscordMessage } from '../chat/discord-payload.js';
import { toSlackMessage } from '../chat/slack-blocks.js';
import { formatConsoleMessage } from '../chat/console.js';
import type { Platform } from '../render/message.js';

export interface RenderOptions {
  readonly configFile: string;
  readonly sourceId: string;
  readonly event: string;
  readonly platform: Platform;
  readonly payloadFile: string;
  readonly template?: string;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** `hookbridge render`: print exactly what would be posted for a payload. */
export async function runRender(o: RenderOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const found = await loadSource(o.configFile, o.sourceId, stderr);
  if (!found) return 1;
  const { config, source } = found;
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(o.payloadFile, 'utf8'));
  } catch (err) {
    stderr.write(`cannot read ${o.payloadFile} as JSON: ${(err as Error).message}\n`);
    return 1;
  }
  const renderer = await createRenderer({ builtinDir: BUILTIN_TEMPLATES, ...(config.templates ? { userDir: config.templates } : {}) });
  const now = new Date();
  const input = {
    provider: source.type,
    event: { source: o.sourceId, id: 'render-preview', type: o.event, receivedAt: now.toISOString() },
    payload,
    ...(o.template ? { template: o.template } : {}),
    platform: o.platform,
    actions: [],
    now,
  };
  const msg = renderer.render(input);
  stderr.write(`template: ${renderer.resolve(input)}\n`);
  if (o.platform === 'slack') stdout.write(`${JSON.stringify(toSlackMessage(msg), null, 2)}\n`);
  else if (o.platform === 'discord') stdout.write(`${JSON.stringify(toDiscordMessage(msg), null, 2)}\n`);
  else stdout.write(formatConsoleMessage(o.sourceId, msg));
  return 0;
}
