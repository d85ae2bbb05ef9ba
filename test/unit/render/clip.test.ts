import { describe, expect, it } from 'vitest';
import { clip, insideFence } from '../../../src/render/clip.js';

const code = '```\n' + 'const x = 1;\n'.repeat(100) + '```';

describe('clip', () => {
  it.each(['slack', 'discord'] as const)('closes a code block it cuts (%s), within the limit', (markup) => {
    for (const max of [20, 50, 333, 1000]) {
      const out = clip(`Log:\n${code}\nafter`, max, markup);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(insideFence(out)).toBe(false);
      expect(out).toContain('…');
    }
  });

  it('leaves plain text (no markup) as cut', () => {
    expect(clip(code, 20)).toBe('```\nconst x = 1;\nco…');
  });

  it.each([
    ['a mention', `${'a'.repeat(90)} <@123456789012345678> more`, 100, `${'a'.repeat(90)}…`],
    ['a role mention', `${'a'.repeat(90)} <@&123456789012345678> more`, 100, `${'a'.repeat(90)}…`],
    ['a masked link', `${'a'.repeat(60)} [View run](https://ci.test/run/1) more`, 80, `${'a'.repeat(60)}…`],
    ['a masked link label', `${'a'.repeat(60)} [View the failed run](https://ci.test/run/1)`, 70, `${'a'.repeat(60)}…`],
    ['a trailing escape', `${'a'.repeat(8)}\\*b`, 10, `${'a'.repeat(8)}…`],
  ])('Discord: steps back out of %s', (_, s, max, expected) => {
    expect(clip(s, max, 'discord')).toBe(expected);
  });

  it('Discord: keeps a complete link, escaped brackets and a far-away lone <', () => {
    const link = `${'a'.repeat(10)} [View](https://ci.test/1) ${'b'.repeat(100)}`;
    expect(clip(link, 60, 'discord')).toBe(link.slice(0, 59) + '…');
    const escaped = `\\[${'c'.repeat(100)}`;
    expect(clip(escaped, 50, 'discord')).toBe(escaped.slice(0, 49) + '…');
    const lone = `1 < 2 ${'d'.repeat(200)}`;
    expect(clip(lone, 150, 'discord')).toBe(lone.slice(0, 149) + '…');
  });
});
