import { describe, expect, it } from 'vitest';
import { parseCommandLine, USAGE } from '../../../src/cli/args.js';

const err = (argv: string[]) => {
  const p = parseCommandLine(argv);
  return p.kind === 'error' ? `${p.command ?? ''}: ${p.message}` : `not an error: ${p.kind}`;
};

describe('parseCommandLine', () => {
  it.each([
    [['--help'], 0],
    [['-h'], 0],
    [['help'], 0],
    [[], 1],
  ])('prints the usage for %j (exit %i)', (argv, code) => {
    expect(parseCommandLine(argv)).toEqual({ kind: 'help', text: USAGE, code });
  });

  it.each([['check', '--help'], ['check', '-h'], ['help', 'check']])('prints one command\'s usage for %j', (...argv) => {
    const p = parseCommandLine(argv);
    expect(p.kind).toBe('help');
    expect(p.kind === 'help' && p.text).toMatch(/^usage: hookbridge check \[--config FILE\]/);
    expect(p.kind === 'help' && p.code).toBe(0);
  });

  it('lists every command with its options in the usage', () => {
    for (const line of ['start [--config FILE]', 'check [--config FILE]', 'send ID FILE.json [--event TYPE] [--url URL] [--config FILE]', 'sources [--json]']) {
      expect(USAGE).toContain(line);
    }
    expect(USAGE).toMatch(/render --source ID --event TYPE .*\[--config FILE\] FILE\.json/);
  });

  it.each([
    [['bogus'], ': unknown command "bogus"'],
    [['--config', 'x.yaml', 'check'], ': unknown command "--config" (options go after the command)'],
    [['check', '--bogus'], 'check: unknown option --bogus'],
    // An option of another command is not silently ignored.
    [['send', 'gh', 'p.json', '--platform', 'slack'], 'send: unknown option --platform'],
    [['sources', '--config', 'x.yaml'], 'sources: unknown option --config'],
    [['check', 'other.yaml'], 'check: unexpected argument "other.yaml" (for another config file, use --config other.yaml)'],
    [['start', 'other.yaml'], 'start: unexpected argument "other.yaml" (for another config file, use --config other.yaml)'],
    [['check', '--config'], 'check: --config needs a value'],
    [['check', '-c'], 'check: --config needs a value'],
    [['check', '--config', ''], 'check: --config needs a value'],
    [['check', '--config', '--help'], 'check: --config needs a value'],
    [['sources', '--json=yes'], 'sources: --json takes no value'],
    [['send'], 'send: missing ID and FILE.json'],
    [['send', 'gh'], 'send: missing FILE.json'],
    [['send', 'gh', 'a.json', 'b.json'], 'send: unexpected argument "b.json"'],
    [['render', 'p.json'], 'render: missing --source ID'],
    [['render', '--source', 'gh', 'p.json'], 'render: missing --event TYPE'],
    [['render', '--source', 'gh', '--event', 'push'], 'render: missing FILE.json'],
    [['render', '--source', 'gh', '--event', 'push', '--platform', 'teams', 'p.json'], 'render: --platform is slack, discord or console, not "teams"'],
  ])('refuses %j', (argv, message) => {
    expect(err(argv)).toBe(message);
  });

  it('reads each command\'s own options', () => {
    expect(parseCommandLine(['check', '-c', 'a.yaml'])).toEqual({ kind: 'run', args: { command: 'check', config: 'a.yaml', positionals: [] } });
    expect(parseCommandLine(['check', '--config=a.yaml'])).toEqual({ kind: 'run', args: { command: 'check', config: 'a.yaml', positionals: [] } });
    expect(parseCommandLine(['sources', '--json'])).toEqual({ kind: 'run', args: { command: 'sources', json: true, positionals: [] } });
    expect(parseCommandLine(['send', 'gh', 'p.json', '--event', 'push', '--url', 'http://h/hooks/gh'])).toEqual({
      kind: 'run',
      args: { command: 'send', event: 'push', url: 'http://h/hooks/gh', positionals: ['gh', 'p.json'] },
    });
    expect(parseCommandLine(['render', '--source', 'gh', '--event', 'push', 'p.json'])).toEqual({
      kind: 'run',
      args: { command: 'render', source: 'gh', event: 'push', platform: 'console', positionals: ['p.json'] },
    });
  });
});
