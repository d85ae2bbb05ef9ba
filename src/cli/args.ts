import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly options: Options;
  /** Names of the positional arguments, all required. */
  readonly positionals: readonly string[];
}

const config = { type: 'string', short: 'c' } as const;

const commands = {
  start: { usage: 'start [--config FILE]', summary: 'run the bot', options: { config }, positionals: [] },
  check: { usage: 'check [--config FILE]', summary: 'validate the config and every template', options: { config }, positionals: [] },
  render: {
    usage: 'render --source ID --event TYPE [--platform slack|discord|console] [--template ID] [--config FILE] FILE.json',
    summary: 'print the message that would be posted',
    options: { config, source: { type: 'string' }, event: { type: 'string' }, platform: { type: 'string' }, template: { type: 'string' } },
    positionals: ['FILE.json'],
  },
  send: {
    usage: 'send ID FILE.json [--event TYPE] [--url URL] [--config FILE]',
    summary: "sign a payload as source ID's provider does and POST it",
    options: { config, event: { type: 'string' }, url: { type: 'string' } },
    positionals: ['ID', 'FILE.json'],
  },
  sources: { usage: 'sources [--json]', summary: 'list every supported source type', options: { json: { type: 'boolean' } }, positionals: [] },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commands;

const CONFIG_NOTE = '--config defaults to $HOOKBRIDGE_CONFIG, then config/hookbridge.yaml';

export const USAGE = `usage: hookbridge <command> [options]

commands:
${Object.values(commands)
  .map((c) => `  ${c.usage}\n      ${c.summary}`)
  .join('\n')}
  help [COMMAND]
      this text, or one command's

${CONFIG_NOTE}
`;

export function commandUsage(name: CommandName): string {
  const c = commands[name];
  return `usage: hookbridge ${c.usage}\n\n${c.summary}\n${'config' in c.options ? `\n${CONFIG_NOTE}\n` : ''}`;
}

export interface RunArgs {
  readonly command: CommandName;
  /** Present only for commands that take it; an empty value is refused. */
  readonly config?: string;
  readonly source?: string;
  readonly event?: string;
  readonly platform?: 'slack' | 'discord' | 'console';
  readonly template?: string;
  readonly url?: string;
  readonly json?: boolean;
  readonly positionals: readonly string[];
}

export type Parsed =
  | { readonly kind: 'run'; readonly args: RunArgs }
  /** Text for stdout and the exit code (0 when help was asked for, 1 when no command was given). */
  | { readonly kind: 'help'; readonly text: string; readonly code: number }
  /** A usage mistake: the problem (and the command it is about) and the usage to print under it, for stderr; exit 2. */
  | { readonly kind: 'error'; readonly command?: CommandName; readonly message: string; readonly usage: string };

const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

/** The command line as one of: a command to run, help to print, or a usage mistake, so nothing is silently ignored. */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'help', text: USAGE, code: 1 };
  if (command === '--help' || command === '-h') return { kind: 'help', text: USAGE, code: 0 };
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help', text: USAGE, code: 0 };
    if (!isCommand(topic)) return { kind: 'error', message: `unknown command "${topic}"`, usage: USAGE };
    return { kind: 'help', text: commandUsage(topic), code: 0 };
  }
  if (!isCommand(command)) {
    const hint = command.startsWith('-') ? ' (options go after the command)' : '';
    return { kind: 'error', message: `unknown command "${command}"${hint}`, usage: USAGE };
  }
  const spec: CommandSpec = commands[command];
  const fail = (message: string): Parsed => ({ kind: 'error', command, message, usage: commandUsage(command) });
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return fail(parseArgsProblem(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: commandUsage(command), code: 0 };
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') return fail(`--${name} needs a value`);
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (command === 'render') {
    if (str('source') === undefined) return fail('missing --source ID');
    if (str('event') === undefined) return fail('missing --event TYPE');
    const platform = str('platform') ?? 'console';
    if (platform !== 'slack' && platform !== 'discord' && platform !== 'console') {
      return fail(`--platform is slack, discord or console, not "${platform}"`);
    }
  }
  const wanted = spec.positionals;
  if (positionals.length < wanted.length) return fail(`missing ${wanted.slice(positionals.length).join(' and ')}`);
  if (positionals.length > wanted.length) {
    const extra = positionals.slice(wanted.length).map((p) => `"${p}"`).join(' ');
    const hint = 'config' in spec.options && wanted.length === 0 ? ` (for another config file, use --config ${positionals[0]})` : '';
    return fail(`unexpected argument${positionals.length - wanted.length === 1 ? '' : 's'} ${extra}${hint}`);
  }
  const args: RunArgs = {
    command,
    positionals,
    ...(str('config') !== undefined && { config: str('config') }),
    ...(str('source') !== undefined && { source: str('source') }),
    ...(str('event') !== undefined && { event: str('event') }),
    ...(command === 'render' && { platform: (str('platform') ?? 'console') as RunArgs['platform'] }),
    ...(str('template') !== undefined && { template: str('template') }),
    ...(str('url') !== undefined && { url: str('url') }),
    ...(command === 'sources' && { json: values.json === true }),
  };
  return { kind: 'run', args };
}

/** node:util's messages name its own API ("place it at the end of the command after '--'"); say it in our terms. */
function parseArgsProblem(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const long = /--([\w-]+)/.exec(quoted ?? e.message ?? '')?.[1];
      if (!long) return e.message ?? 'invalid option value';
      return /does not take an argument/.test(e.message ?? '') ? `--${long} takes no value` : `--${long} needs a value`;
    }
    default:
      return e.message ?? String(err);
  }
}
