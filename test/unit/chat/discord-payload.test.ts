import { describe, expect, it } from 'vitest';
import { SEVERITY_COLOURS, toDiscordMessage } from '../../../src/chat/discord-payload.js';
import * as L from '../../../src/render/limits.js';
import type { MessageAction, NeutralMessage, Severity } from '../../../src/render/message.js';
import { expectDiscordWithinLimits } from '../render/limits-check.js';

const base: NeutralMessage = {
  title: 'Deploy \\*prod\\* failed',
  text: 'Body',
  url: 'https://ci.test/run/1',
  severity: 'error',
  fields: [{ name: 'Branch', value: 'main', inline: true }, { name: 'Log', value: 'tail', inline: false }],
  footer: 'gh · run\\_1',
  timestamp: '2024-05-01T12:00:00Z',
  status: ['Acknowledged by <@1>'],
  actions: [
    { action: 'ack', label: 'Ack', id: 'ack:1', style: 'primary' },
    { action: 'retry', label: 'Retry', id: 'retry:1', disabled: true },
    { action: 'mute', label: 'Mute', id: 'mute:1', style: 'danger' },
  ],
  fallback: 'Deploy *prod* failed',
};

const huge = 'y'.repeat(100_000);

describe('toDiscordMessage', () => {
  it('builds one embed with colour, fields, footer, timestamp and a row of buttons', () => {
    const m = toDiscordMessage(base);
    expect(m.embeds[0]).toEqual({
      title: 'Deploy \\*prod\\* failed',
      description: 'Body\n\nAcknowledged by <@1>',
      url: 'https://ci.test/run/1',
      color: SEVERITY_COLOURS.error,
      fields: [{ name: 'Branch', value: 'main', inline: true }, { name: 'Log', value: 'tail', inline: false }],
      footer: { text: 'gh · run_1' },
      timestamp: '2024-05-01T12:00:00.000Z',
    });
    expect(m.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Ack', custom_id: 'ack:1' },
          { type: 2, style: 2, label: 'Retry', custom_id: 'retry:1', disabled: true },
          { type: 2, style: 4, label: 'Mute', custom_id: 'mute:1' },
        ],
      },
    ]);
    expect(m.allowed_mentions).toEqual({ parse: [] });
    expectDiscordWithinLimits(m);
  });

  it('colours by severity: critical/error red, warning amber, success green, info blue, neutral grey', () => {
    const colours = (['critical', 'error', 'warning', 'success', 'info', 'neutral'] as Severity[]).map((severity) => toDiscordMessage({ ...base, severity }).embeds[0]!.color);
    expect(colours[0]).toBe(colours[1]);
    expect(new Set(colours).size).toBe(5);
  });

  it('holds every limit with 100 KB strings in every part of the message', () => {
    const actions: MessageAction[] = Array.from({ length: 40 }, (_, i) => ({ action: 'ack', label: huge, id: i === 2 ? huge : `id-${i}`, disabled: i % 2 === 0 }));
    const msg: NeutralMessage = {
      title: huge,
      text: huge,
      url: `https://x.test/${huge}`,
      severity: 'warning',
      fields: Array.from({ length: 40 }, () => ({ name: huge, value: huge })),
      footer: huge,
      timestamp: huge,
      status: [huge],
      actions,
      fallback: huge,
    };
    const m = toDiscordMessage(msg);
    expectDiscordWithinLimits(m);
    const e = m.embeds[0]!;
    expect(e.title.endsWith(L.ELLIPSIS)).toBe(true);
    expect(e.url).toBeUndefined();
    expect(e.timestamp).toBeUndefined();
    expect(m.components.flatMap((r) => r.components)).toHaveLength(L.DISCORD_ACTION_ROWS_MAX * L.DISCORD_ROW_BUTTONS_MAX);
  });

  it('keeps the status lines when the body is cut', () => {
    const e = toDiscordMessage({ ...base, text: huge, fields: [] }).embeds[0]!;
    expect(e.description!.length).toBe(L.DISCORD_EMBED_DESCRIPTION_MAX);
    expect(e.description!.endsWith('…\n\nAcknowledged by <@1>')).toBe(true);
  });

  it('a body cut inside a code block is closed, so the status lines are not shown as code', () => {
    const text = 'Log:\n```\n' + 'line of output\n'.repeat(1000) + '```';
    const m = toDiscordMessage({ ...base, text, fields: [{ name: 'Log', value: text }] });
    expectDiscordWithinLimits(m);
    const e = m.embeds[0]!;
    expect(e.description!.endsWith('…\n```\n\nAcknowledged by <@1>')).toBe(true);
    expect(e.fields![0]!.value.endsWith('…\n```')).toBe(true);
  });

  it('a cut never leaves half a masked link or mention', () => {
    const value = `${'a'.repeat(1000)} [View run](https://ci.test/run/1) <@&123456789012345678>`;
    const m = toDiscordMessage({ ...base, status: [], text: `${'b'.repeat(4080)} [View run](https://ci.test/run/1)`, fields: [{ name: 'F', value }] });
    expect(m.embeds[0]!.description).toBe(`${'b'.repeat(4080)}…`);
    expect(m.embeds[0]!.fields![0]!.value).toBe(`${'a'.repeat(1000)}…`);
  });

  it('never splits a surrogate pair when cutting', () => {
    const e = toDiscordMessage({ ...base, title: '😀'.repeat(300) }).embeds[0]!;
    expect(e.title.length).toBeLessThanOrEqual(L.DISCORD_EMBED_TITLE_MAX);
    expect(e.title).toMatch(/^(😀)+…$/u);
  });

  it('fills empty field names and values, drops invalid URLs and duplicate ids', () => {
    const m = toDiscordMessage({
      ...base,
      url: 'javascript:alert(1)',
      fields: [{ name: '', value: '  ' }],
      actions: [{ action: 'ack', label: '', id: 'a' }, { action: 'ack', label: 'x', id: 'a' }],
    });
    expect(m.embeds[0]!.url).toBeUndefined();
    expect(m.embeds[0]!.fields).toEqual([{ name: '—', value: '—', inline: true }]);
    expect(m.components[0]!.components).toEqual([{ type: 2, style: 2, label: 'ack', custom_id: 'a' }]);
  });
});
