import { clip, FENCE_CLOSE, insideFence, safeEnd } from '../render/clip.js';
import { escapeSlack, unescapeSlack } from '../render/escape.js';
import { toDate, formatUtc } from '../render/helpers/time.js';
import * as L from '../render/limits.js';
import type { MessageAction, MessageField, NeutralMessage, Severity } from '../render/message.js';

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackButton = { type: 'button'; text: PlainText; action_id: string; value: string; style?: 'primary' | 'danger' };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'section'; fields: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'actions'; elements: SlackButton[] };

export interface SlackMessage {
  /** Notification and fallback text (mrkdwn). */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** Block Kit has no message colour, so severity leads the header as an emoji. */
export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: '🚨',
  error: '🔴',
  warning: '🟠',
  success: '🟢',
  info: '🔵',
  neutral: '⚪',
};

/** Smallest share worth starting a field with; below it the field is left out. */
const MIN_FIELD = 16;
const LINK_LABEL = 'Open ↗';

/**
 * NeutralMessage → Block Kit: header, body sections, field sections, a context line (status, footer,
 * time, link) and the buttons. Every block is cut to its own limit and the whole message to a text
 * budget below the size at which Slack answers msg_blocks_too_long.
 */
export function toSlackMessage(msg: NeutralMessage): SlackMessage {
  const head = headerBlock(msg);
  const context = contextBlock(msg);
  const actions = actionsBlock(msg.actions);
  const tail = [context, actions].filter((b): b is SlackBlock => b !== undefined);
  const reserved = [head, ...tail].reduce((n, b) => n + blockSize(b), 0);
  const middle = bodyBlocks(msg, L.SLACK_BLOCKS_TEXT_BUDGET - reserved, L.SLACK_BLOCKS_MAX - 1 - tail.length);
  const fallback = `${SEVERITY_EMOJI[msg.severity] ?? ''} ${escapeSlack(msg.fallback || unescapeSlack(msg.title))}`.trim();
  return { text: clip(fallback, L.SLACK_FALLBACK_TEXT_MAX, 'slack'), blocks: [head, ...middle, ...tail] };
}

function headerBlock(msg: NeutralMessage): SlackBlock {
  const title = unescapeSlack(msg.title).replace(/\s+/g, ' ').trim() || msg.fallback.trim() || 'Notification';
  const text = clip(`${SEVERITY_EMOJI[msg.severity] ?? ''} ${title}`.trim(), L.SLACK_HEADER_TEXT_MAX);
  return { type: 'header', text: { type: 'plain_text', text, emoji: true } };
}

function bodyBlocks(msg: NeutralMessage, budget: number, maxBlocks: number): SlackBlock[] {
  const fieldsSize = msg.fields.reduce((n, f) => n + f.name.length + f.value.length + 4, 0);
  const textBudget = Math.max(budget - fieldsSize, Math.floor(budget / 2));
  const text = clip(msg.text?.trim() ?? '', textBudget, 'slack');
  const blocks: SlackBlock[] = splitText(text, L.SLACK_SECTION_TEXT_MAX).map((t) => ({ type: 'section', text: mrkdwn(t) }));
  blocks.push(...fieldBlocks(msg.fields, budget - text.length));
  return fitSize(blocks.slice(0, Math.max(0, maxBlocks)), budget);
}

/**
 * The budget above counts characters of text; what reaches Slack is the blocks' JSON, where every
 * field carries its own wrapping and line breaks and quotes are escaped. Many short fields made a
 * message several thousand characters over while its text was within budget. Blocks are kept in
 * order while their JSON fits; the one that crosses is cut down (fields dropped, text clipped).
 */
function fitSize(blocks: SlackBlock[], budget: number): SlackBlock[] {
  const out: SlackBlock[] = [];
  let left = budget;
  for (const b of blocks) {
    const size = blockSize(b);
    if (size <= left) {
      out.push(b);
      left -= size;
      continue;
    }
    const cut = shrink(b, left);
    if (cut) out.push(cut);
    break;
  }
  return out;
}

function shrink(b: SlackBlock, room: number): SlackBlock | undefined {
  if (b.type === 'section' && 'fields' in b) {
    const fields = [...b.fields];
    while (fields.length > 0 && blockSize({ type: 'section', fields }) > room) fields.pop();
    return fields.length > 0 ? { type: 'section', fields } : undefined;
  }
  if (b.type === 'section' && 'text' in b) {
    let text = b.text.text;
    for (let over = blockSize(b) - room; over > 0 && text.length >= MIN_FIELD; over = blockSize({ type: 'section', text: mrkdwn(text) }) - room) {
      text = clip(text, text.length - over - FENCE_CLOSE.length, 'slack');
    }
    return text.length >= MIN_FIELD && blockSize({ type: 'section', text: mrkdwn(text) }) <= room ? { type: 'section', text: mrkdwn(text) } : undefined;
  }
  return undefined;
}

/** Consecutive inline fields share a section (two columns); a non-inline field gets a section of its own. */
function fieldBlocks(fields: readonly MessageField[], budget: number): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let row: Mrkdwn[] = [];
  const flush = (): void => {
    if (row.length > 0) blocks.push({ type: 'section', fields: row });
    row = [];
  };
  for (const f of fields) {
    const max = Math.min(f.inline === false ? L.SLACK_SECTION_TEXT_MAX : L.SLACK_SECTION_FIELD_TEXT_MAX, budget);
    if (max < MIN_FIELD) break;
    const text = clip(`*${oneLine(f.name)}*\n${f.value}`, max, 'slack');
    budget -= text.length;
    if (f.inline === false) {
      flush();
      blocks.push({ type: 'section', text: mrkdwn(text) });
    } else {
      row.push(mrkdwn(text));
      if (row.length === L.SLACK_SECTION_FIELDS_MAX) flush();
    }
  }
  flush();
  return blocks;
}

const CONTEXT_ELEMENT_MAX = 1000;

function contextBlock(msg: NeutralMessage): SlackBlock | undefined {
  const elements: Mrkdwn[] = [];
  const status = (msg.status ?? []).map((s) => s.trim()).filter(Boolean);
  if (status.length > 0) elements.push(mrkdwn(clip(status.join('\n'), CONTEXT_ELEMENT_MAX, 'slack')));
  const when = toDate(msg.timestamp);
  const footer = [msg.footer?.trim(), when && `<!date^${Math.floor(when.getTime() / 1000)}^{date_short_pretty} {time}|${formatUtc(when)}>`]
    .filter(Boolean)
    .join(' · ');
  if (footer) elements.push(mrkdwn(clip(footer, CONTEXT_ELEMENT_MAX, 'slack')));
  const link = msg.url ? slackLink(msg.url) : undefined;
  if (link) elements.push(mrkdwn(link));
  return elements.length > 0 ? { type: 'context', elements: elements.slice(0, L.SLACK_CONTEXT_ELEMENTS_MAX) } : undefined;
}

function slackLink(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  const href = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  // A cut URL points somewhere else, so a URL that does not fit is left out instead.
  return href.length + LINK_LABEL.length + 3 <= L.SLACK_BUTTON_URL_MAX ? `<${href}|${LINK_LABEL}>` : undefined;
}

/**
 * Slack buttons cannot be disabled, so disabled actions are left out. Ids longer than the limit are
 * left out too: a cut id would no longer name its event, and the click would fail later instead.
 */
function actionsBlock(actions: readonly MessageAction[]): SlackBlock | undefined {
  const seen = new Set<string>();
  const buttons: SlackButton[] = [];
  for (const a of actions) {
    if (a.disabled || a.id === '' || a.id.length > L.SLACK_ACTION_ID_MAX || seen.has(a.id)) continue;
    seen.add(a.id);
    const label = clip(oneLine(a.label) || a.action, L.SLACK_BUTTON_TEXT_MAX);
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: label, emoji: true },
      action_id: a.id,
      value: a.id.slice(0, L.SLACK_BUTTON_VALUE_MAX),
      ...(a.style && { style: a.style }),
    });
    if (buttons.length === L.SLACK_ACTIONS_ELEMENTS_MAX) break;
  }
  return buttons.length > 0 ? { type: 'actions', elements: buttons } : undefined;
}

/** Below this a chunk has no room to close and reopen a code block and still move forward. */
const FENCED_SPLIT_MIN = 64;

/**
 * Split into chunks of at most `max`, at a line break or space where one is near the end, never
 * inside a link, mention or entity. Each chunk renders on its own, so a code block that spans a
 * split is closed at the end of one chunk and opened again at the start of the next.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = cutAt(rest, max);
    let chunk = rest.slice(0, cut).trimEnd();
    let next = rest.slice(cut).trimStart();
    if (max >= FENCED_SPLIT_MIN && insideFence(chunk)) {
      cut = cutAt(rest, max - FENCE_CLOSE.length);
      chunk = rest.slice(0, cut).trimEnd();
      // Inside code, leading spaces are indentation: only the line break at the cut goes.
      next = rest.slice(cut).replace(/^[ \t]*\n/, '');
      if (insideFence(chunk)) {
        chunk += FENCE_CLOSE;
        next = `\`\`\`\n${next}`;
      } else {
        next = next.trimStart();
      }
    }
    chunks.push(chunk);
    rest = next;
  }
  if (rest.trim() !== '') chunks.push(rest);
  return chunks.filter((c) => c !== '');
}

function cutAt(s: string, max: number): number {
  let cut = s.lastIndexOf('\n', max);
  if (cut < max / 2) cut = s.lastIndexOf(' ', max);
  if (cut < max / 2) cut = max;
  const safe = safeEnd(s, cut, 'slack');
  // A link that fills most of a chunk has to be cut somewhere; also keeps every chunk moving forward.
  return safe > max / 4 ? safe : safeEnd(s, max);
}

function blockSize(b: SlackBlock): number {
  return JSON.stringify(b).length;
}

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
