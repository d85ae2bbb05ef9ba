import { clip } from './clip.js';
import { escapeFor, plainText } from './escape.js';
import type { MessageAction, NeutralMessage, Platform } from './message.js';
import type { MessageDraft } from './render-data.js';

const FALLBACK_MAX = 300;

/** The body as written by the template: lines right-trimmed, runs of blank lines collapsed to one. */
export function tidyBody(out: string): string {
  return out
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface BuildInput {
  readonly platform: Platform;
  readonly provider: string;
  readonly eventType: string;
  readonly receivedAt: string;
  readonly actions: readonly MessageAction[];
}

/** Assemble the message from what the template collected; a template without a title still gets one. */
export function buildMessage(draft: MessageDraft, body: string, input: BuildInput): NeutralMessage {
  const title = draft.title || escapeFor(input.platform)(`${input.provider} ${input.eventType}`);
  const text = tidyBody(body);
  return {
    title,
    ...(text && { text }),
    ...(draft.url && { url: draft.url }),
    severity: draft.severity ?? 'neutral',
    fields: draft.fields,
    ...(draft.footer && { footer: draft.footer }),
    timestamp: draft.timestamp ?? input.receivedAt,
    actions: input.actions,
    fallback: clip(plainText(input.platform, title), FALLBACK_MAX),
  };
}
