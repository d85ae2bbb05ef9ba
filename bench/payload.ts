import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const BENCH_SECRET = 'bench-secret';

/** A real `workflow_run` delivery from @octokit/webhooks-examples, as GitHub would send it. */
export function workflowRunPayload(): string {
  const require = createRequire(import.meta.url);
  const all = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as {
    name: string;
    examples: unknown[];
  }[];
  const example = all.find((e) => e.name === 'workflow_run')?.examples[0];
  if (!example) throw new Error('no workflow_run example found');
  return JSON.stringify(example);
}
