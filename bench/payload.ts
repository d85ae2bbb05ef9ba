import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const BENCH_SECRET = 'bench-secret';

/** The first example of a GitHub event in @octokit/webhooks-examples, as GitHub would send it. */
export function githubExample(event: string): string {
  const require = createRequire(import.meta.url);
  const all = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as {
    name: string;
    examples: unknown[];
  }[];
  const example = all.find((e) => e.name === event)?.examples[0];
  if (!example) throw new Error(`no ${event} example found`);
  return JSON.stringify(example);
}
