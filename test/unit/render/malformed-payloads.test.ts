import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../src/render/environment.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';

/**
 * Payloads are interfaces that change under us. Every built-in template is fed the sample payloads
 * of its provider with each top-level field (and each field one level down) removed, renamed and
 * retyped: rendering must never throw and must always produce a title.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const templatesDir = join(root, 'templates');
const require = createRequire(import.meta.url);

const githubExamples = () => require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: unknown[] }[];

/** Sample payloads of a provider; for GitHub, the octokit example of the template's own event. */
function samples(provider: string, type: string): unknown[] {
  if (provider === 'github') {
    const all = githubExamples();
    const own = all.find((e) => e.name === type)?.examples[0];
    return own ? [own] : all.slice(0, 3).map((e) => e.examples[0]);
  }
  const found: unknown[] = [];
  for (const dir of [join(root, 'test/fixtures/sources', provider), join(root, 'test/fixtures/render', provider)]) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const f of files) found.push(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  return found;
}

const retypes: unknown[] = [null, 42, 'text', [], { unexpected: true }, true];

/** Variants of a payload: each field removed, renamed, and replaced by values of other types. */
function* variants(payload: unknown, depth = 0): Generator<unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return;
  const obj = payload as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const { [key]: value, ...rest } = obj;
    yield rest;
    yield { ...rest, [`${key}_renamed`]: value };
    for (const r of retypes) yield { ...obj, [key]: r };
    if (depth === 0) for (const inner of variants(value, 1)) yield { ...obj, [key]: inner };
  }
}

const providers = readdirSync(templatesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ builtinDir: templatesDir });
});

describe.each(providers)('templates/%s', (provider) => {
  const templates = readdirSync(join(templatesDir, provider)).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4));

  it('renders every template with removed, renamed and retyped fields, without throwing', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    let renders = 0;
    for (const name of templates) {
      const type = name.replace(/@.*$/, '');
      const payloads = samples(provider, type);
      for (const sample of payloads.length > 0 ? payloads : [{}]) {
        for (const payload of [sample, ...variants(sample)]) {
          for (const platform of PLATFORMS) {
            const msg = renderer.render({
              provider,
              event: { source: provider, id: 'e1', type: type === 'default' ? 'unknown.event' : type, receivedAt: now.toISOString() },
              payload,
              template: `${provider}/${name}`,
              platform,
              actions: [],
              now,
            });
            expect(msg.title.trim()).not.toBe('');
            renders++;
          }
        }
      }
    }
    expect(renders).toBeGreaterThan(0);
  });
});
