import { readText } from '../../sources/read-path.js';
import { sentryCorrelationKey } from '../../sources/sentry.js';
import type { StoredEvent } from '../../store/types.js';
import { baseOf, jsonHeaders, noToken, type ProviderApi, type ProviderPlan } from './provider-plan.js';

/** `api.url` is documented as `https://sentry.io/api/0`; a bare host works too. */
const apiRoot = (api: ProviderApi): string => {
  const base = baseOf(api);
  return /\/api\/0$/.test(base) ? base : `${base}/api/0`;
};

/**
 * The organization slug from the API links Sentry puts in the payload: an issue's own
 * (`…/organizations/<org>/issues/<id>/`) or an issue alert's event (`…/projects/<org>/<project>/…`).
 */
function orgOf(event: StoredEvent): string | undefined {
  const issue = readText(event.payload, 'data.issue.url') ?? '';
  const eventUrl = readText(event.payload, 'data.event.url') ?? '';
  return /\/organizations\/([^/]+)\/issues\//.exec(issue)?.[1] ?? /\/api\/0\/projects\/([^/]+)\/[^/]+\/events\//.exec(eventUrl)?.[1];
}

/**
 * Sentry: `PUT /api/0/organizations/{org}/issues/{id}/` with `{"status":"resolved"}`; when the payload
 * does not name the organization, the older `/api/0/issues/{id}/` (still served) is used.
 */
export function sentryResolve(event: StoredEvent, api: ProviderApi | undefined): ProviderPlan | undefined {
  const key = sentryCorrelationKey(event.type.split('.')[0] ?? '', event.payload);
  if (!key?.startsWith('issue:')) return undefined;
  const issue = key.slice('issue:'.length);
  if (!api?.token) return noToken(event.source, 'Sentry', 'Resolve');
  const org = orgOf(event);
  const path = org ? `/organizations/${encodeURIComponent(org)}/issues/${encodeURIComponent(issue)}/` : `/issues/${encodeURIComponent(issue)}/`;
  return {
    kind: 'request',
    provider: 'Sentry',
    secrets: [api.token],
    request: {
      url: `${apiRoot(api)}${path}`,
      method: 'PUT',
      headers: { authorization: `Bearer ${api.token}`, ...jsonHeaders },
      body: JSON.stringify({ status: 'resolved' }),
      what: `Sentry resolve of issue ${readText(event.payload, 'data.issue.shortId') ?? issue}`,
    },
  };
}
