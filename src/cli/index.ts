import { BUILTIN_TEMPLATES } from '../main.js';
import { createRenderer } from '../render/renderer.js';
import { parseCommandLine, type RunArgs } from './args.js';
import { runCheck } from './check.js';
import { configPath } from './config-path.js';
import { runRender } from './render.js';
import { runSend } from './send.js';
import { runSources } from './sources.js';
import { runStart } from './start.js';

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return parsed.code;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`hookbridge${parsed.command ? ` ${parsed.command}` : ''}: ${parsed.message}\n\n${parsed.usage}`);
    return 2;
  }
  return run(parsed.args);
}

function run(a: RunArgs): Promise<number> | number {
  const configFile = configPath(a.config);
  switch (a.command) {
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
      return runSources({ json: a.json === true });
    case 'send': {
      const [sourceId, payloadFile] = a.positionals as [string, string];
      return runSend({ configFile, sourceId, payloadFile, ...(a.event ? { event: a.event } : {}), ...(a.url ? { url: a.url } : {}) });
    }
    case 'render': {
      const [payloadFile] = a.positionals as [string];
      return runRender({
        configFile,
        sourceId: a.source!,
        event: a.event!,
        platform: a.platform ?? 'console',
        payloadFile,
        ...(a.template ? { template: a.template } : {}),
      });
    }
  }
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
