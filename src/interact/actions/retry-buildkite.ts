import { readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import { noToken, trimSlash, type ApiConfig, type RetryPlan } from './retry-plan.js';

interface BuildkiteBuild {
  readonly org: string;
  readonly pipeline: string;
  readonly number: string;
}

/** Org and pipeline slugs from a REST URL (…/organizations/{org}/pipelines/{pipeline}…). */
function fromApiUrl(url: string | undefined): { org: string; pipeline: string } | undefined {
  const m = url ? /\/organizations\/([^/?#]+)\/pipelines\/([^/?#]+)/.exec(url) : null;
  return m ? { org: m[1]!, pipeline: m[2]! } : undefined;
}

/** Org and pipeline slugs from a web URL (https://buildkite.com/{org}/{pipeline}/builds/…). */
function fromWebUrl(url: string | undefined): { org: string; pipeline: string } | undefined {
  if (!url) return undefined;
  try {
    const [org, pipeline] = new URL(url).pathname.split('/').filter(Boolean);
    return org && pipeline ? { org, pipeline } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The build an event is about. build.* events carry REST URLs; job.* events only web URLs, so
 * those are the fallback.
 */
function buildOf(payload: unknown): BuildkiteBuild | undefined {
  const number = readText(payload, 'build.number');
  const slugs =
    fromApiUrl(readText(payload, 'build.url')) ??
    fromApiUrl(readText(payload, 'pipeline.url')) ??
    fromWebUrl(readText(payload, 'build.web_url')) ??
    fromWebUrl(readText(payload, 'pipeline.web_url'));
  if (!number || !slugs) return undefined;
  return { org: slugs.org, pipeline: readText(payload, 'pipeline.slug') ?? slugs.pipeline, number };
}

/** The host (`https://api.buildkite.com`); a URL ending in `/v2`, as older examples showed, works too. */
function hostOf(url: string): string {
  return trimSlash(url).replace(/\/v2$/, '');
}

/** Buildkite: rebuild the build (PUT /v2/organizations/{org}/pipelines/{pipeline}/builds/{number}/rebuild). */
export function buildkiteRetry(event: StoredEvent, api: ApiConfig | undefined): RetryPlan | undefined {
  const b = buildOf(event.payload);
  if (!b) return undefined;
  if (!api?.token) return noToken(event.source, 'rebuild Buildkite builds');
  const path = ['organizations', b.org, 'pipelines', b.pipeline, 'builds', b.number].map(encodeURIComponent).join('/');
  return {
    kind: 'request',
    secrets: [api.token],
    request: {
      url: `${hostOf(api.url)}/v2/${path}/rebuild`,
      method: 'PUT',
      headers: { authorization: `Bearer ${api.token}`, accept: 'application/json' },
      what: `rebuild of ${b.pipeline} build ${b.number}`,
    },
  };
}
