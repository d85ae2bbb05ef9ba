import { describe, expect, it } from 'vitest';
import { parseMuteArgs } from '../../../src/interact/commands/mute-args.js';
import { parseReplayArgs } from '../../../src/interact/commands/replay-args.js';
import { commandWords } from '../../../src/interact/discord-commands.js';
import { parseDuration } from '../../../src/interact/duration.js';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * 60_000], ['2h', 2 * H], ['1d', 24 * H], ['45s', 45_000], ['1w', 168 * H], [' 2H ', 2 * H],
    ['30x', undefined], ['0m', undefined], ['1.5h', undefined], ['h', undefined], ['', undefined], ['31d', undefined], ['-1h', undefined],
  ])('%j → %j', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('parseMuteArgs', () => {
  it.each([
    [['gh'], { source: 'gh', durationMs: H }],
    [['gh', '30m'], { source: 'gh', durationMs: 30 * 60_000 }],
    [['gh', '2h', 'deploy', 'freeze'], { source: 'gh', durationMs: 2 * H, reason: 'deploy freeze' }],
    [['gh', 'flaky', 'runner'], { source: 'gh', durationMs: H, reason: 'flaky runner' }],
    [['gh', '1d', 'weekend'], { source: 'gh', durationMs: 24 * H, reason: 'weekend' }],
  ])('%j → %j', (args, out) => expect(parseMuteArgs(args)).toEqual(out));

  it('takes --duration as a duration outright', () => {
    expect(parseMuteArgs(['gh', '--duration', '2h', 'deploy'])).toEqual({ source: 'gh', durationMs: 2 * H, reason: 'deploy' });
  });

  it.each([[[]], [['gh', '30x']], [['gh', '30x', 'because']], [['gh', '2hours']], [['gh', '0h']], [['gh', '--duration', 'soon']], [['gh', '--duration']]])('%j is an error', (args) => {
    expect(parseMuteArgs(args)).toHaveProperty('error');
  });
});

describe('parseReplayArgs', () => {
  it.each([
    [['gh'], { source: 'gh', select: { last: 1 } }],
    [['gh', '--since', '2h'], { source: 'gh', select: { since: 2 * H } }],
    [['gh', '--last', '5'], { source: 'gh', select: { last: 5 } }],
    [['gh', 'abc-123'], { source: 'gh', select: { id: 'abc-123' } }],
    [['gh', '--to', 'slack:#x', '--last', '2'], { source: 'gh', select: { last: 2 }, to: 'slack:#x' }],
  ])('%j → %j', (args, out) => expect(parseReplayArgs(args)).toEqual(out));

  it.each([
    [[], 'Name the source'], [['--last', '1'], 'Name the source'], [['gh', '--since'], 'needs a value'], [['gh', '--since', '2x'], 'not a valid duration'],
    [['gh', '--last', '0'], 'from 1 to 100'], [['gh', '--last', '101'], 'from 1 to 100'], [['gh', '--last', 'two'], 'from 1 to 100'],
    [['gh', '--since', '1h', 'abc'], 'Give one of'], [['gh', '--everything'], 'Unknown option'], [['gh', '--to'], 'needs a value'],
  ])('%j is an error mentioning %j', (args, words) => {
    const r = parseReplayArgs(args);
    expect('error' in r && r.error).toContain(words);
  });
});

describe('commandWords (Discord options → the words typed on Slack)', () => {
  const opt = (name: string, value: string | number) => ({ name, type: typeof value === 'number' ? 4 : 3, value });
  it.each([
    [{ name: 'mute', type: 1, options: [opt('source', 'gh'), opt('duration', '2h'), opt('reason', 'deploy freeze')] }, ['gh', '2h', 'deploy', 'freeze']],
    [{ name: 'mute', type: 1, options: [opt('source', 'gh'), opt('reason', '5 flaky runs')] }, ['gh', '1h', '5', 'flaky', 'runs']],
    [{ name: 'mute', type: 1, options: [opt('source', 'gh'), opt('duration', '30x')] }, ['gh', '--duration', '30x']],
    [{ name: 'mute', type: 1, options: [opt('source', 'gh'), opt('duration', 'soon'), opt('reason', 'deploy')] }, ['gh', '--duration', 'soon', 'deploy']],
    [{ name: 'replay', type: 1, options: [opt('source', 'gh'), opt('last', 3), opt('to', 'discord:1')] }, ['gh', '--last', '3', '--to', 'discord:1']],
    [{ name: 'replay', type: 1, options: [opt('source', 'gh'), opt('event', 'e1')] }, ['gh', 'e1']],
    [{ name: 'status', type: 1 }, []],
  ])('%j → %j', (sub, args) => expect(commandWords(sub).args).toEqual(args));
});
