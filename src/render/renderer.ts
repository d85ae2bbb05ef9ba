import { buildMessage } from './build-message.js';
import { compileTemplates, type CompiledTemplate } from './compile-templates.js';
import { createEnvironment, PLATFORMS, type HandlebarsEnv } from './environment.js';
import { escapeFor } from './escape.js';
import { GLOBAL_DEFAULT, loadTemplateFiles, resolveTemplate } from './lookup.js';
import type { MessageAction, NeutralMessage, Platform } from './message.js';
import type { EventInfo, MessageDraft, RenderData } from './render-data.js';
import type { TemplateProblem } from './template-problem.js';

export interface RenderInput {
  readonly provider: string;
  readonly event: EventInfo;
  readonly payload: unknown;
  /** Template id named by the route (`github/workflow_run`); the event's own lookup follows it. */
  readonly template?: string;
  readonly platform: Platform;
  readonly actions: readonly MessageAction[];
  readonly now: Date;
}

export interface Renderer {
  /** Never throws: a failing template falls back to the global default with a note saying so. */
  render(input: RenderInput): NeutralMessage;
  /** Syntax errors, unknown helpers and partials found when the templates were loaded. */
  check(): TemplateProblem[];
  /** The template id `render` would use for this input. */
  resolve(input: Pick<RenderInput, 'provider' | 'event' | 'template'>): string;
  /** Whether a template id exists, e.g. to validate a route's `template:`. */
  has(id: string): boolean;
}

/** Load and compile every template once, built-in first and the user's folder over it by path. */
export async function createRenderer(o: { builtinDir: string; userDir?: string }): Promise<Renderer> {
  const files = await loadTemplateFiles(o.userDir ? [o.builtinDir, o.userDir] : [o.builtinDir]);
  const envs = Object.fromEntries(PLATFORMS.map((p) => [p, createEnvironment(p)])) as Record<Platform, HandlebarsEnv>;
  const { templates, problems } = compileTemplates(files.values(), envs);

  const resolve: Renderer['resolve'] = (input) =>
    resolveTemplate({ provider: input.provider, type: input.event.type, version: input.event.version, template: input.template }, templates);

  return {
    render(input) {
      const id = resolve(input);
      try {
        return run(templates.get(id), input);
      } catch (err) {
        return fallback(templates.get(GLOBAL_DEFAULT), input, id, err);
      }
    },
    check: () => [...problems],
    resolve,
    has: (id) => templates.has(id),
  };
}

function run(template: CompiledTemplate | undefined, input: RenderInput, note?: string): NeutralMessage {
  if (!template) throw new Error('no template found, not even the global default');
  const draft: MessageDraft = { fields: [] };
  const data: RenderData = { now: input.now, event: input.event, provider: input.provider, platform: input.platform, draft };
  const body = template[input.platform](input.payload ?? {}, { data });
  const info = { ...input, eventType: input.event.type, receivedAt: input.event.receivedAt };
  return buildMessage(draft, note ? `${note}\n\n${body}` : body, info);
}

function fallback(template: CompiledTemplate | undefined, input: RenderInput, id: string, err: unknown): NeutralMessage {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const note = escapeFor(input.platform)(`⚠ Template ${id} failed: ${reason}`);
  try {
    return run(id === GLOBAL_DEFAULT ? undefined : template, input, note);
  } catch {
    // The default itself is broken (a user override): still say what happened rather than lose the event.
    const title = escapeFor(input.platform)(`${input.provider} ${input.event.type}`);
    return {
      title,
      text: note,
      severity: 'warning',
      fields: [],
      timestamp: input.event.receivedAt,
      actions: input.actions,
      fallback: `${input.provider} ${input.event.type}`,
    };
  }
}
