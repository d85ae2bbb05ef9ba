import { describe, expect, it } from 'vitest';
import { toDiscordMessage } from '../../../src/chat/discord-payload.js';
import { toSlackMessage } from '../../../src/chat/slack-blocks.js';
import { createEnvironment } from '../../../src/render/environment.js';
import { toDate } from '../../../src/render/helpers/time.js';
import type { MessageDraft, RenderData } from '../../../src/render/render-data.js';

const now = new Date('2024-05-01T12:00:00Z');
const at = '2024-05-01T12:00:00.000Z';

function render(source: string, context: unknown): { out: string; draft: MessageDraft } {
  const draft: MessageDraft = { fields: [] };
  const data: RenderData = { now, event: { source: 's', id: 'e', type: 't', receivedAt: at }, provider: 'p', platform: 'slack', draft };
  return { out: createEnvironment('slack').compile(source)(context, { data }), draft };
}

describe('epoch times in payloads', () => {
  it.each([
    ['seconds', 1714564800],
    ['milliseconds', 1714564800000],
    ['microseconds', 1714564800000000],
    ['nanoseconds', 1714564800000000000],
    ['nanoseconds as digits', '1714564800000000000'],
  ])('%s read as the same time', (_, v) => {
    expect(toDate(v)?.toISOString()).toBe(at);
    const { out, draft } = render('{{time t}} {{ago t}}{{timestamp t}}', { t: v });
    expect(out).toBe('<!date^1714564800^{date_short_pretty} {time}|2024-05-01 12:00 UTC> just now');
    expect(draft.timestamp).toBe(at);
  });

  it('a number no Date can hold is no date, not a failed template', () => {
    const huge = '9'.repeat(30);
    expect(toDate(huge)).toBeUndefined();
    expect(toDate(1e300)).toBeUndefined();
    expect(render('{{time t}} {{ago t}}{{timestamp t}}', { t: huge }).out).toBe('— —');
    const msg = { title: 'x', severity: 'info' as const, fields: [], actions: [], fallback: 'x', timestamp: huge };
    expect(toDiscordMessage(msg).embeds[0]!.timestamp).toBeUndefined();
    expect(JSON.stringify(toSlackMessage(msg))).not.toContain('date^');
  });
});
