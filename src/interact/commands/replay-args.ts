import { parseDuration } from '../duration.js';

export const REPLAY_USAGE = 'replay <source> [--since 2h | --last N | <event-id>] [--to <target>]';
export const MAX_REPLAY = 100;

export type ReplaySelect = { since: number } | { last: number } | { id: string };
export type ReplayArgs = { source: string; select: ReplaySelect; to?: string } | { error: string };

const usage = (why: string) => ({ error: `${why}\nUsage: ${REPLAY_USAGE}` });

/** `<source>` then one selector (default `--last 1`) and an optional `--to`, in any order. */
export function parseReplayArgs(args: readonly string[]): ReplayArgs {
  const [source, ...rest] = args;
  if (!source || source.startsWith('--')) return usage('Name the source to replay.');
  const selects: ReplaySelect[] = [];
  let to: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const value = rest[i + 1];
    if (word === '--since' || word === '--last' || word === '--to') {
      if (value === undefined || value.startsWith('--')) return usage(`\`${word}\` needs a value.`);
      i++;
      if (word === '--to') to = value;
      else if (word === '--since') {
        const ms = parseDuration(value);
        if (ms === undefined) return usage(`\`${value}\` is not a valid duration (use 30m, 2h, 1d).`);
        selects.push({ since: ms });
      } else {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1 && n <= MAX_REPLAY)) return usage(`\`--last\` takes a whole number from 1 to ${MAX_REPLAY}.`);
        selects.push({ last: n });
      }
    } else if (word.startsWith('--')) return usage(`Unknown option \`${word}\`.`);
    else selects.push({ id: word });
  }
  if (selects.length > 1) return usage('Give one of --since, --last or an event id.');
  return { source, select: selects[0] ?? { last: 1 }, ...(to !== undefined && { to }) };
}
