import { parseArgs } from 'node:util';
import { BUILTIN_TEMPLATES } from '../main.js';
import { createRenderer } from '../render/renderer.js';
import { runCheck } from './check.js';
import { configPath } from './config-path.js';
import { runRender } from './render.js';
import { runSend } from './send.js';
import { runSources } from './sources.js';
import { runStart } from './start.js';

const USAGE = `usage: hookbridge <command> [options]

commands:
  start   [--config FILE]                         run the bot
  check   [--config FILE]                         validate the config and every template
  render  --source ID --event TYPE [--platform slack|discord|console] [--template ID] [--config FILE] FILE.json
                                                  print the message that would be posted
  send    ID FILE.json [--event TYPE] [--url URL] [--config FILE]
                                                  sign a payload as source ID's provider does and POST it
  sources [--json]                                list every supported source type

--config defaults to $HOOKBRIDGE_CONFIG, then config/hookbridge.yaml
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      source: { type: 'string' },
      event: { type: 'string' },
      platform: { type: 'string', default: 'console' },
      template: { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const configFile = configPath(values.config);
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  switch (command) {
    case 'start':
      return runStart({ configFile });
    case 'check':
      return runCheck({
        configFile,
        checkTemplates: async (config) => {
          const renderer = await createRenderer({ builtinDir: BUILTIN_TEMPLATES, ...(config.templates ? { userDir: config.templates } : {}) });
          return renderer.check();
        },
      });
    case 'sources':
      return runSources({ json: values.json });
    case 'send': {
      const [sourceId, payloadFile] = positionals;
      if (!sourceId || !payloadFile) return usage('send needs a source id and a payload file');
      return runSend({ configFile, sourceId, payloadFile, ...(values.event ? { event: values.event } : {}), ...(values.url ? { url: values.url } : {}) });
    }
    case 'render': {
      const [payloadFile] = positionals;
      const platform = values.platform;
      if (!values.source || !values.event || !payloadFile) return usage('render needs --source, --event and a payload file');
      if (platform !== 'slack' && platform !== 'discord' && platform !== 'console') return usage('--platform is slack, discord or console');
      return runRender({ configFile, sourceId: values.source, event: values.event, platform, payloadFile, ...(values.template ? { template: values.template } : {}) });
    }
    default:
      return usage(`unknown command "${command}"`);
  }
}

function usage(problem: string): number {
  process.stderr.write(`hookbridge: ${problem}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`hookbridge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
