import { clip } from '../render/clip.js';
import { plainText } from '../render/escape.js';
import { toDate } from '../render/helpers/time.js';
import * as L from '../render/limits.js';
import type { MessageAction, MessageField, NeutralMessage, Severity } from '../render/message.js';

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields?: { name: string; value: string; inline: boolean }[];
  footer?: { text: string };
  timestamp?: string;
}
export interface DiscordButton {
  type: 2;
  /** 1 primary, 2 secondary, 4 danger. */
  style: 1 | 2 | 4;
  label: string;
  custom_id: string;
  disabled?: boolean;
}
export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}
export interface DiscordMessage {
  embeds: DiscordEmbed[];
  components: DiscordActionRow[];
  /** Embeds never ping, but the post states it too: nothing a payload contains may notify anyone. */
  allowed_mentions: { parse: [] };
}

export const SEVERITY_COLOURS: Record<Severity, number> = {
  critical: 0xd32f2f,
  error: 0xd32f2f,
  warning: 0xf5a623,
  success: 0x2e7d32,
  info: 0x1e88e5,
  neutral: 0x9e9e9e,
};

/** What description and footer keep for themselves before fields share the rest of the 6000. */
const DESCRIPTION_RESERVE = 2000;
const FOOTER_RESERVE = 256;
/** Smallest value worth starting a field with; below it the remaining fields are left out. */
const MIN_FIELD_VALUE = 16;

/**
 * NeutralMessage → one embed (colour by severity) and button rows. Each part is cut to its own limit
 * and all of them together to the embed total: title first, then fields, description and footer.
 */
export function toDiscordMessage(msg: NeutralMessage): DiscordMessage {
  const title = clip(oneLine(msg.title) || oneLine(msg.fallback) || 'Notification', L.DISCORD_EMBED_TITLE_MAX);
  const status = (msg.status ?? []).map((s) => s.trim()).filter(Boolean).join('\n');
  const text = msg.text?.trim() ?? '';
  const footerText = plainText('discord', msg.footer?.trim() ?? '');
  const descWanted = text.length + status.length + 2;

  let budget = L.DISCORD_EMBED_TOTAL_MAX - title.length;
  const reserve = Math.min(footerText.length, FOOTER_RESERVE) + Math.min(descWanted, DESCRIPTION_RESERVE);
  const fields = fitFields(msg.fields, Math.max(0, budget - reserve));
  budget -= fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const description = fitDescription(text, status, Math.min(L.DISCORD_EMBED_DESCRIPTION_MAX, budget - Math.min(footerText.length, FOOTER_RESERVE)));
  budget -= description.length;
  const footer = clip(footerText, Math.min(L.DISCORD_EMBED_FOOTER_MAX, budget));

  const url = embedUrl(msg.url);
  const when = toDate(msg.timestamp);
  const embed: DiscordEmbed = {
    title,
    ...(description && { description }),
    ...(url && { url }),
    color: SEVERITY_COLOURS[msg.severity] ?? SEVERITY_COLOURS.neutral,
    ...(fields.length > 0 && { fields }),
    ...(footer && { footer: { text: footer } }),
    ...(when && { timestamp: when.toISOString() }),
  };
  return { embeds: [embed], components: actionRows(msg.actions), allowed_mentions: { parse: [] } };
}

function fitFields(fields: readonly MessageField[], budget: number): { name: string; value: string; inline: boolean }[] {
  const out: { name: string; value: string; inline: boolean }[] = [];
  for (const f of fields.slice(0, L.DISCORD_EMBED_FIELDS_MAX)) {
    const name = clip(oneLine(f.name) || L.PLACEHOLDER, L.DISCORD_EMBED_FIELD_NAME_MAX);
    const room = Math.min(L.DISCORD_EMBED_FIELD_VALUE_MAX, budget - name.length);
    if (room < MIN_FIELD_VALUE) break;
    const value = clip(f.value.trim() || L.PLACEHOLDER, room, 'discord');
    budget -= name.length + value.length;
    out.push({ name, value, inline: f.inline !== false });
  }
  return out;
}

/** The status lines ("Acknowledged by …") outrank the body, so the body is what gets cut. */
function fitDescription(text: string, status: string, max: number): string {
  if (max <= 0) return '';
  if (!status) return clip(text, max, 'discord');
  if (!text) return clip(status, max, 'discord');
  const room = max - status.length - 2;
  if (room < MIN_FIELD_VALUE) return clip(status, max, 'discord');
  return `${clip(text, room, 'discord')}\n\n${status}`;
}

function embedUrl(url: string | undefined): string | undefined {
  if (!url || url.length > L.DISCORD_EMBED_URL_MAX || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const href = new URL(url).href;
    return href.length <= L.DISCORD_EMBED_URL_MAX ? href : undefined;
  } catch {
    return undefined;
  }
}

const STYLES = { primary: 1, danger: 4 } as const;

/**
 * Five buttons a row, five rows. Ids over the limit are left out rather than cut: a cut id would no
 * longer name its event, and Discord rejects a message whose custom_ids repeat.
 */
function actionRows(actions: readonly MessageAction[]): DiscordActionRow[] {
  const seen = new Set<string>();
  const buttons: DiscordButton[] = [];
  for (const a of actions) {
    if (a.id === '' || a.id.length > L.DISCORD_CUSTOM_ID_MAX || seen.has(a.id)) continue;
    seen.add(a.id);
    buttons.push({
      type: 2,
      style: a.style ? STYLES[a.style] : 2,
      label: clip(oneLine(a.label) || a.action, L.DISCORD_BUTTON_LABEL_MAX),
      custom_id: a.id,
      ...(a.disabled && { disabled: true }),
    });
  }
  const rows: DiscordActionRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < L.DISCORD_ACTION_ROWS_MAX; i += L.DISCORD_ROW_BUTTONS_MAX) {
    rows.push({ type: 1, components: buttons.slice(i, i + L.DISCORD_ROW_BUTTONS_MAX) });
  }
  return rows;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
