import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface TemplateFile {
  /** Template id: the path under the templates folder without `.hbs`, e.g. `github/workflow_run@2`. */
  readonly id: string;
  readonly file: string;
  readonly source: string;
}

export const GLOBAL_DEFAULT = 'default';

/**
 * Every `.hbs` file under the given folders, keyed by id. Later folders override earlier ones by path,
 * so `[builtin, user]` lets a user replace any built-in template without touching code.
 */
export async function loadTemplateFiles(dirs: readonly string[]): Promise<Map<string, TemplateFile>> {
  const found = new Map<string, TemplateFile>();
  for (const dir of dirs) {
    for (const file of await listTemplates(dir)) {
      const id = relative(dir, file).split(sep).join('/').replace(/\.hbs$/, '');
      found.set(id, { id, file, source: await readFile(file, 'utf8') });
    }
  }
  return found;
}

async function listTemplates(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listTemplates(path)));
    else if (entry.isFile() && entry.name.endsWith('.hbs')) files.push(path);
  }
  return files;
}

export interface LookupKey {
  readonly provider: string;
  readonly type: string;
  readonly version?: string;
  /** Template named by the route, tried before the event's own. */
  readonly template?: string;
}

/**
 * Ids to try, best first: the named template; then the event type and each of its dotted families
 * (`charge.dispute.created` → `charge.dispute` → `charge`), each preferring its `@<version>` file;
 * then the provider's default and the global default.
 */
export function templateCandidates(key: LookupKey): string[] {
  const ids: string[] = [];
  const push = (id: string): void => {
    if (key.version) ids.push(`${id}@${clean(key.version)}`);
    ids.push(id);
  };
  if (key.template) push(key.template.replace(/\.hbs$/, '').replace(/^\/+/, ''));
  const provider = clean(key.provider);
  const parts = clean(key.type).split('.');
  for (let n = parts.length; n > 0; n--) {
    const family = parts.slice(0, n).join('.');
    if (family !== '') push(`${provider}/${family}`);
  }
  push(`${provider}/default`);
  ids.push(GLOBAL_DEFAULT);
  return ids;
}

export function resolveTemplate(key: LookupKey, available: { has(id: string): boolean }): string {
  return templateCandidates(key).find((id) => available.has(id)) ?? GLOBAL_DEFAULT;
}

// Event types and versions come from payloads; a slash must not reach into another provider's folder.
function clean(s: string): string {
  return s.replace(/[/\\]/g, '_');
}
