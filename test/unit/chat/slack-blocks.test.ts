import { describe, expect, it } from 'vitest';
import { splitText, toSlackMessage } from '../../../src/chat/slack-blocks.js';
import * as L from '../../../src/render/limits.js';
import type { MessageAction, NeutralMessage } from '../../../src/render/message.js';
import { expectSlackWithinLimits } from '../render/limits-check.js';

const base: NeutralMessage = {
  title: 'CI &lt;main&gt; failed',
  text: 'Body',
  url: 'https://ci.test/run?a=1&b=2',
  severity: 'error',
  fields: [
    { name: 'Branch', value: 'main', inline: true },
    { name: 'Log', value: 'long', inline: false },
  ],
  footer: 'gh · run 1',
  timestamp: '2024-05-01T12:00:00Z',
  status: ['Acknowledged by <@U1>'],
  actions: [
    { action: 'ack', label: 'Ack', id: 'ack:1', style: 'primary' },
    { action: 'retry', label: 'Retry', id: 'retry:1', disabled: true },
  ],
  fallback: 'CI <main> failed',
};

const huge = 'x'.repeat(100_000);
const hugeMarkup = '<https://a.test|link> &amp; '.repeat(4000);

describe('toSlackMessage', () => {
  it('lays out header, body, fields, context and actions', () => {
    const m = toSlackMessage(base);
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context', 'actions']);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 CI <main> failed', emoji: true } });
    expect(m.text).toBe('🔴 CI &lt;main&gt; failed');
    const context = m.blocks[4] as { elements: { text: string }[] };
    expect(context.elements.map((e) => e.text)).toEqual([
      'Acknowledged by <@U1>',
      'gh · run 1 · <!date^1714564800^{date_short_pretty} {time}|2024-05-01 12:00 UTC>',
      '<https://ci.test/run?a=1&amp;b=2|Open ↗>',
    ]);
    // Slack has no disabled buttons: the disabled one is left out.
    expect(m.blocks[5]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Ack', emoji: true }, action_id: 'ack:1', value: 'ack:1', style: 'primary' }],
    });
    expectSlackWithinLimits(m);
  });

  it('holds every limit with 100 KB strings in every part of the message', () => {
    const actions: MessageAction[] = Array.from({ length: 40 }, (_, i) => ({ action: 'ack', label: huge, id: `a${i}`.repeat(i === 3 ? 1000 : 1) }));
    const msg: NeutralMessage = {
      title: huge,
      text: huge,
      url: `https://x.test/${huge}`,
      severity: 'critical',
      fields: Array.from({ length: 60 }, (_, i) => ({ name: huge, value: huge, inline: i % 3 !== 0 })),
      footer: huge,
      timestamp: 'not a date',
      status: [huge, huge],
      actions,
      fallback: huge,
    };
    const m = toSlackMessage(msg);
    expectSlackWithinLimits(m);
    const buttons = (m.blocks.at(-1) as { elements: unknown[] }).elements;
    expect(buttons).toHaveLength(L.SLACK_ACTIONS_ELEMENTS_MAX);
    expect(JSON.stringify(m)).toContain(L.ELLIPSIS);
  });

  it('splits long text into several sections and never cuts inside a link or entity', () => {
    const m = toSlackMessage({ ...base, text: hugeMarkup, fields: [] });
    expectSlackWithinLimits(m);
    const sections = m.blocks.filter((b) => b.type === 'section') as { text: { text: string } }[];
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.text.text).not.toMatch(/<[^>]*$/);
      expect(s.text.text).not.toMatch(/&[a-z]{0,4}$/);
    }
  });

  it('splitText never breaks a link whose text has spaces, nor a mention', () => {
    const link = '<https://ci.test/run/1|View the failed run>';
    const text = `${'word '.repeat(598)}${link} and <!subteam^S123|on call> after`;
    for (const max of [3000, 2995, 3010, 3020]) {
      const chunks = splitText(text, max);
      expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
      for (const c of chunks) {
        expect(c.length).toBeLessThanOrEqual(max);
        expect(c.match(/</g)?.length ?? 0).toBe(c.match(/>/g)?.length ?? 0);
      }
    }
  });

  it('a code block split over sections is closed in one and reopened in the next', () => {
    const text = 'Log:\n```\n' + '  indented line of output\n'.repeat(300) + '```\nafter';
    const chunks = splitText(text, 3000);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3000);
      expect(c.match(/```/g)!.length % 2).toBe(0);
    }
    expect(chunks[1]!.startsWith('```\n  indented')).toBe(true);
    const m = toSlackMessage({ ...base, text, fields: [] });
    for (const b of m.blocks) if (b.type === 'section' && 'text' in b) expect(b.text.text.match(/```/g)!.length % 2).toBe(0);
  });

  it('splitText prefers line breaks', () => {
    expect(splitText('aaaa\nbbbb\ncc', 10)).toEqual(['aaaa\nbbbb', 'cc']);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('holds the limits with many small fields and no text', () => {
    const msg = { ...base, text: undefined, fields: Array.from({ length: 500 }, (_, i) => ({ name: `F${i}`, value: 'v', inline: i % 2 === 0 })) };
    expectSlackWithinLimits(toSlackMessage(msg));
  });

  it('keeps the whole JSON under the size Slack rejects, not only the text', () => {
    // Short inline fields: little text each, but every one carries its own JSON wrapping.
    const fields = Array.from({ length: 500 }, (_, i) => ({ name: `F${i}`, value: 'v', inline: true }));
    const many = toSlackMessage({ ...base, text: undefined, fields });
    expectSlackWithinLimits(many);
    expect(many.blocks.filter((b) => b.type === 'section').length).toBeGreaterThan(10);
    // Line breaks and quotes are escaped in JSON, so 10,000 characters of them weigh 15,000.
    const lines = toSlackMessage({ ...base, text: 'a "b"\n'.repeat(1700), fields: [] });
    expectSlackWithinLimits(lines);
    expect(lines.blocks.filter((b) => b.type === 'section').length).toBeGreaterThan(2);
  });

  it('gives an empty title a header anyway and drops duplicate or empty action ids', () => {
    const m = toSlackMessage({ ...base, title: '  ', fallback: '', actions: [{ action: 'ack', label: '', id: 'x' }, { action: 'mute', label: 'M', id: 'x' }, { action: 'mute', label: 'M', id: '' }] });
    expect((m.blocks[0] as { text: { text: string } }).text.text).toBe('🔴 Notification');
    const actions = m.blocks.at(-1) as { elements: { text: { text: string } }[] };
    expect(actions.elements.map((e) => e.text.text)).toEqual(['ack']);
  });
});
