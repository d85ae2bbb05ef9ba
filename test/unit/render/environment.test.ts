import { describe, expect, it } from 'vitest';
import { createEnvironment } from '../../../src/render/environment.js';
import type { Platform } from '../../../src/render/message.js';
import type { MessageDraft, RenderData } from '../../../src/render/render-data.js';

const now = new Date('2024-05-01T12:00:00Z');

function render(platform: Platform, source: string, context: unknown = {}): { out: string; draft: MessageDraft } {
  const draft: MessageDraft = { fields: [] };
  const data: RenderData = { now, event: { source: 's', id: 'e', type: 't', receivedAt: now.toISOString() }, provider: 'p', platform, draft };
  return { out: createEnvironment(platform).compile(source)(context, { data }), draft };
}
const out = (platform: Platform, source: string, context: unknown = {}) => render(platform, source, context).out;

describe('default {{x}} escaping per platform', () => {
  const hostile = { s: '<script>alert(1)</script> & *bold* _it_ ~x~ `c` | > [a](b) @everyone @here <@123> <!channel>' };
  it('Slack escapes & < > and breaks plain @everyone/@here/@channel', () => {
    expect(out('slack', '{{s}}', hostile)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold* _it_ ~x~ `c` | &gt; [a](b) @\u200beveryone @\u200bhere &lt;@123&gt; &lt;!channel&gt;',
    );
    expect(out('slack', '{{s}}', { s: 'ping @Channel and @here, mail a@channelfoo' })).toBe('ping @\u200bChannel and @\u200bhere, mail a@channelfoo');
  });
  it('Discord escapes markdown and neutralises everyone/here and mentions', () => {
    const s = out('discord', '{{s}}', hostile);
    expect(s).toContain('\\*bold\\* \\_it\\_ \\~x\\~ \\`c\\` \\| \\> \\[a\\](b)');
    expect(s).not.toMatch(/@everyone|@here/);
    expect(s).toContain('@\u200beveryone');
    expect(s).not.toContain('<@123>');
    expect(s).not.toContain('&amp;');
  });
  it('console prints text as is, without control characters', () => {
    expect(out('console', '{{s}}', { s: 'a\u001b[31mred & <b>' })).toBe('a[31mred & <b>');
  });
  it('triple-stash stays raw', () => {
    expect(out('slack', '{{{s}}}', { s: '<x>' })).toBe('<x>');
  });
});

describe('helpers', () => {
  it('link per platform; unsafe URLs are shown as text', () => {
    const ctx = { u: 'https://x.test/a?b=1&c=2', t: 'the <run>' };
    expect(out('slack', '{{link u t}}', ctx)).toBe('<https://x.test/a?b=1&amp;c=2|the &lt;run&gt;>');
    expect(out('discord', '{{link u t}}', ctx)).toBe('[the <run\\>](https://x.test/a?b=1&c=2)');
    expect(out('console', '{{link u t}}', ctx)).toBe('the <run> (https://x.test/a?b=1&c=2)');
    expect(out('slack', '{{link u "x"}}', { u: 'javascript:alert(1)' })).toBe('x');
    expect(out('slack', '{{link nothing}}')).toBe('—');
  });
  it('mention per platform; non-ids are escaped text', () => {
    expect(out('slack', '{{mention "U123ABC"}}')).toBe('<@U123ABC>');
    expect(out('discord', '{{mention "123456789012345678"}}')).toBe('<@123456789012345678>');
    expect(out('discord', '{{mention "42" type="role"}}')).toBe('<@&42>');
    expect(out('slack', '{{mention "!channel>"}}')).toBe('@!channel&gt;');
    expect(out('console', '{{mention "octocat"}}')).toBe('@octocat');
  });
  it('time and ago use the injected now', () => {
    const ctx = { t: '2024-05-01T11:55:00Z', s: 1714564500 };
    expect(out('console', '{{ago t}} {{ago s}}', ctx)).toBe('5 minutes ago 5 minutes ago');
    expect(out('discord', '{{time s}}', ctx)).toBe('<t:1714564500:f>');
    expect(out('slack', '{{time t}}', ctx)).toBe('<!date^1714564500^{date_short_pretty} {time}|2024-05-01 11:55 UTC>');
    expect(out('console', '{{time t}} {{duration t}}', ctx)).toBe('2024-05-01 11:55 UTC 5m');
    expect(out('console', '{{time nope}} {{ago "garbage"}}')).toBe('— —');
  });
  it('truncate, code and codeblock', () => {
    expect(out('console', '{{truncate s 5}}', { s: 'abcdefgh' })).toBe('abcd…');
    expect(out('slack', '{{code s}}', { s: 'a`b<c' })).toBe('`aˋb&lt;c`');
    expect(out('discord', '{{codeblock s "json"}}', { s: '{"a":1}' })).toBe('```json\n{"a":1}\n```');
    expect(out('discord', '{{codeblock s}}', { s: 'x```y' })).not.toContain('x```y');
  });
  it('money with zero- and three-decimal currencies', () => {
    expect(out('console', '{{money 1234 "usd"}} {{money 1234 "JPY"}} {{money 1234 "kwd"}} {{money nope "usd"}}')).toBe('$12.34 ¥1,234 KWD\u00a01.234 —');
  });
  it('bold and italic per platform', () => {
    expect(out('slack', '{{#bold}}x{{/bold}} {{italic "y"}}')).toBe('*x* _y_');
    expect(out('discord', '{{#bold}}x{{/bold}} {{italic "y"}}')).toBe('**x** *y*');
  });
});

describe('message part helpers', () => {
  it('collect title, url, severity, fields, footer and timestamp', () => {
    const src = [
      '{{#title}}Run {{name}}{{/title}}',
      '{{severity (statusSeverity conclusion)}}',
      '{{#url}}{{href}}{{/url}}',
      '{{#field "Branch"}}{{branch}}{{/field}}',
      '{{field "Actor" actor inline=false}}',
      '{{#footer}}by {{actor}}{{/footer}}',
      '{{timestamp at}}',
      'Body & more',
    ].join('\n');
    const ctx = { name: 'a<b', conclusion: 'failure', href: 'https://x.test/?a=1&b=2', branch: 'main', actor: 'ana', at: 1714564500 };
    const { out: body, draft } = render('slack', src, ctx);
    expect(draft).toEqual({
      title: 'Run a&lt;b',
      severity: 'error',
      url: 'https://x.test/?a=1&b=2',
      fields: [
        { name: 'Branch', value: 'main', inline: true },
        { name: 'Actor', value: 'ana', inline: false },
      ],
      footer: 'by ana',
      timestamp: '2024-05-01T11:55:00.000Z',
    });
    expect(body.trim()).toBe('Body & more');
  });
  it('without a value a part helper prints the context field of the same name', () => {
    expect(out('console', '{{#with issue}}{{title}} {{url}}{{/with}}', { issue: { title: 'Bug', url: 'u' } })).toBe('Bug u');
  });
  it('missing values render a placeholder and never throw', () => {
    const { draft } = render('discord', '{{field "A" a.b.c}}{{field "B" (money x y)}}{{#title}}{{nope.nope}}{{/title}}{{link a b}}{{truncate z}}{{code z}}', {});
    expect(draft.fields).toEqual([
      { name: 'A', value: '—', inline: true },
      { name: 'B', value: '—', inline: true },
    ]);
    expect(draft.title).toBeUndefined();
  });
});
