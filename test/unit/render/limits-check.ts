import { expect } from 'vitest';
import type { DiscordMessage } from '../../../src/chat/discord-payload.js';
import type { SlackMessage } from '../../../src/chat/slack-blocks.js';
import * as L from '../../../src/render/limits.js';

/** Every documented Slack limit, checked on a converted message. */
export function expectSlackWithinLimits(m: SlackMessage): void {
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(L.SLACK_FALLBACK_TEXT_MAX);
  expect(m.blocks.length).toBeLessThanOrEqual(L.SLACK_BLOCKS_MAX);
  let total = 0;
  for (const b of m.blocks) {
    total += JSON.stringify(b).length;
    if (b.type === 'header') {
      expect(b.text.text.length).toBeGreaterThan(0);
      expect(b.text.text.length).toBeLessThanOrEqual(L.SLACK_HEADER_TEXT_MAX);
    } else if (b.type === 'section' && 'fields' in b) {
      expect(b.fields.length).toBeGreaterThan(0);
      expect(b.fields.length).toBeLessThanOrEqual(L.SLACK_SECTION_FIELDS_MAX);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(L.SLACK_SECTION_FIELD_TEXT_MAX);
    } else if (b.type === 'section') {
      expect(b.text.text.length).toBeGreaterThan(0);
      expect(b.text.text.length).toBeLessThanOrEqual(L.SLACK_SECTION_TEXT_MAX);
    } else if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(L.SLACK_CONTEXT_ELEMENTS_MAX);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(L.SLACK_TEXT_OBJECT_MAX);
    } else if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(L.SLACK_ACTIONS_ELEMENTS_MAX);
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(L.SLACK_BUTTON_TEXT_MAX);
        expect(e.action_id.length).toBeLessThanOrEqual(L.SLACK_ACTION_ID_MAX);
        expect(e.value.length).toBeLessThanOrEqual(L.SLACK_BUTTON_VALUE_MAX);
      }
      expect(new Set(b.elements.map((e) => e.action_id)).size).toBe(b.elements.length);
    }
  }
  expect(total).toBeLessThanOrEqual(13_000);
}

/** Every documented Discord embed and component limit, checked on a converted message. */
export function expectDiscordWithinLimits(m: DiscordMessage): void {
  expect(m.embeds).toHaveLength(1);
  const e = m.embeds[0]!;
  expect(e.title.length).toBeGreaterThan(0);
  expect(e.title.length).toBeLessThanOrEqual(L.DISCORD_EMBED_TITLE_MAX);
  expect((e.description ?? '').length).toBeLessThanOrEqual(L.DISCORD_EMBED_DESCRIPTION_MAX);
  expect((e.fields ?? []).length).toBeLessThanOrEqual(L.DISCORD_EMBED_FIELDS_MAX);
  for (const f of e.fields ?? []) {
    expect(f.name.length).toBeGreaterThan(0);
    expect(f.name.length).toBeLessThanOrEqual(L.DISCORD_EMBED_FIELD_NAME_MAX);
    expect(f.value.length).toBeGreaterThan(0);
    expect(f.value.length).toBeLessThanOrEqual(L.DISCORD_EMBED_FIELD_VALUE_MAX);
  }
  expect((e.footer?.text ?? '').length).toBeLessThanOrEqual(L.DISCORD_EMBED_FOOTER_MAX);
  const total =
    e.title.length + (e.description ?? '').length + (e.footer?.text ?? '').length +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  expect(total).toBeLessThanOrEqual(L.DISCORD_EMBED_TOTAL_MAX);
  if (e.url) expect(e.url.length).toBeLessThanOrEqual(L.DISCORD_EMBED_URL_MAX);
  expect(m.components.length).toBeLessThanOrEqual(L.DISCORD_ACTION_ROWS_MAX);
  const ids = new Set<string>();
  for (const row of m.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(L.DISCORD_ROW_BUTTONS_MAX);
    for (const b of row.components) {
      expect(b.label.length).toBeGreaterThan(0);
      expect(b.label.length).toBeLessThanOrEqual(L.DISCORD_BUTTON_LABEL_MAX);
      expect(b.custom_id.length).toBeGreaterThan(0);
      expect(b.custom_id.length).toBeLessThanOrEqual(L.DISCORD_CUSTOM_ID_MAX);
      expect(ids.has(b.custom_id)).toBe(false);
      ids.add(b.custom_id);
    }
  }
}
