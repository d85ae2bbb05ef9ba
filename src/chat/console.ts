import type { NeutralMessage } from '../render/message.js';
import type { ChatTarget, MessageRef } from './target.js';

export interface ConsoleTargetOptions {
  /** Where messages are printed (stdout by default). */
  readonly out?: NodeJS.WritableStream;
}

const marks: Record<NeutralMessage['severity'], string> = {
  critical: '!!', error: '!', warning: '~', info: 'i', success: '+', neutral: '-',
};

/** Prints messages for people trying hookbridge out without a chat workspace; ids are a sequence. */
export function createConsoleTarget(o: ConsoleTargetOptions = {}): ChatTarget {
  const out = o.out ?? process.stdout;
  let seq = 0;
  const next = (): string => String(++seq);

  return {
    platform: 'console',
    async post(channel, msg) {
      const ref: MessageRef = { platform: 'console', channel, id: next() };
      out.write(formatConsoleMessage(`[${channel} #${ref.id}]`, msg));
      return ref;
    },
    async update(ref, msg) {
      out.write(formatConsoleMessage(`[${ref.channel} #${ref.id} updated]`, msg));
    },
    async reply(ref, msg) {
      const reply: MessageRef = { platform: 'console', channel: ref.channel, id: next() };
      out.write(formatConsoleMessage(`[${ref.channel} #${reply.id} in thread of #${ref.id}]`, msg));
      return reply;
    },
  };
}

/** A readable plain-text rendering: heading line, then indented body. */
export function formatConsoleMessage(heading: string, msg: NeutralMessage): string {
  const lines = [`${heading} ${marks[msg.severity]} ${msg.title}${msg.url ? ` <${msg.url}>` : ''}`];
  const body = [
    ...(msg.text ? msg.text.split('\n') : []),
    ...msg.fields.map((f) => `${f.name}: ${f.value}`),
    ...(msg.status ?? []),
    ...(msg.actions.length ? [msg.actions.map((a) => `[${a.label}]`).join(' ')] : []),
    ...(msg.footer ? [msg.footer] : []),
  ];
  return [...lines, ...body.map((l) => `    ${l}`)].join('\n') + '\n\n';
}
