import Handlebars from 'handlebars';
import { escapeFor } from './escape.js';
import { codeHelpers } from './helpers/code.js';
import { formatHelpers } from './helpers/format.js';
import { linkHelpers } from './helpers/link.js';
import { logicHelpers } from './helpers/logic.js';
import { mentionHelpers } from './helpers/mention.js';
import { messagePartHelpers } from './helpers/message-parts.js';
import { moneyHelpers } from './helpers/money.js';
import { severityHelpers } from './helpers/severity.js';
import { textHelpers } from './helpers/text.js';
import { timeHelpers } from './helpers/time.js';
import { truncateHelpers } from './helpers/truncate.js';
import { isSafe, toText, type HelperSet } from './helpers/value.js';
import type { Platform } from './message.js';
import type { RenderData } from './render-data.js';

export type HandlebarsEnv = typeof Handlebars;

/** Name under which the platform escaper is registered; compiled `{{x}}` calls it instead of HTML escaping. */
const ESCAPE_HELPER = '__platformEscape';

export const PLATFORMS: readonly Platform[] = ['slack', 'discord', 'console'];

/** Every helper a template may call, with the built-ins Handlebars brings. Used by `check` as well. */
export function helperNames(): ReadonlySet<string> {
  const names = Object.keys(allHelpers('console'));
  return new Set([...names, 'if', 'unless', 'each', 'with', 'lookup', 'log', 'blockHelperMissing', 'helperMissing']);
}

function allHelpers(platform: Platform): HelperSet {
  return {
    ...messagePartHelpers(platform),
    ...linkHelpers(platform),
    ...mentionHelpers(platform),
    ...timeHelpers(platform),
    ...codeHelpers(platform),
    ...formatHelpers(platform),
    ...truncateHelpers(),
    ...moneyHelpers(),
    ...severityHelpers(),
    ...logicHelpers(),
    ...textHelpers(),
  };
}

/**
 * A Handlebars instance for one platform. `{{x}}` is escaped for the platform's markup instead of
 * HTML: Handlebars hard-wires its HTML escaper into every compiled template, so the code generator
 * is swapped for one that calls the platform escaper (the extension point Handlebars documents for
 * JavaScriptCompiler). Triple-stash `{{{x}}}` still prints raw.
 */
export function createEnvironment(platform: Platform): HandlebarsEnv {
  const env = Handlebars.create();
  const escape = escapeFor(platform);
  const platformEscape = (value: unknown, data?: RenderData): string => {
    if (isSafe(value)) return value.toHTML();
    const text = toText(value);
    return data?.raw ? text : escape(text);
  };
  env.registerHelper({ ...allHelpers(platform), [ESCAPE_HELPER]: platformEscape } as Handlebars.HelperDeclareSpec);
  useCompiler(env, platformCompiler(env));
  return env;
}

type CompilerInternals = {
  pushSource(source: unknown): void;
  appendToBuffer(parts: unknown[]): unknown;
  popStack(): unknown;
};
type CompilerCtor = new () => CompilerInternals;

function platformCompiler(env: HandlebarsEnv): CompilerCtor {
  const Base = (env as unknown as { JavaScriptCompiler: CompilerCtor }).JavaScriptCompiler;
  class PlatformCompiler extends Base {
    appendEscaped(): void {
      this.pushSource(this.appendToBuffer([`helpers.${ESCAPE_HELPER}(`, this.popStack(), ', data)']));
    }
  }
  // Child programs (block bodies) are compiled with `new this.compiler()`, so it must point here too.
  (PlatformCompiler.prototype as unknown as { compiler: CompilerCtor }).compiler = PlatformCompiler;
  return PlatformCompiler;
}

function useCompiler(env: HandlebarsEnv, compiler: CompilerCtor): void {
  (env as unknown as { JavaScriptCompiler: CompilerCtor }).JavaScriptCompiler = compiler;
}
