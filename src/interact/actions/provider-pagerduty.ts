import { pagerdutyCorrelationKey } from '../../sources/pagerduty.js';
import type { StoredEvent } from '../../store/types.js';
import { baseOf, noToken, type ProviderApi, type ProviderPlan } from './provider-plan.js';

/** The incident an event is about (an incident event itself, or a note, responder, ... on one). */
function incidentOf(event: StoredEvent): string | undefined {
  const key = pagerdutyCorrelationKey(event.payload);
  return key?.startsWith('incident:') ? key.slice('incident:'.length) : undefined;
}

/**
 * PagerDuty REST: `PUT /incidents/{id}` with an incident_reference of the new status. Account-level
 * tokens need a `From` user; `api.from` names it (user tokens act as their owner without it).
 */
export function pagerdutyStatus(event: StoredEvent, api: ProviderApi | undefined, status: 'acknowledged' | 'resolved'): ProviderPlan | undefined {
  const incident = incidentOf(event);
  if (!incident) return undefined;
  const verb = status === 'resolved' ? 'Resolve' : 'Ack';
  if (!api?.token) return noToken(event.source, 'PagerDuty', verb);
  return {
    kind: 'request',
    provider: 'PagerDuty',
    secrets: [api.token],
    request: {
      url: `${baseOf(api)}/incidents/${encodeURIComponent(incident)}`,
      method: 'PUT',
      headers: {
        authorization: `Token token=${api.token}`,
        accept: 'application/vnd.pagerduty+json;version=2',
        'content-type': 'application/json',
        ...(api.from && { from: api.from }),
      },
      body: JSON.stringify({ incident: { type: 'incident_reference', status } }),
      what: `PagerDuty ${status === 'resolved' ? 'resolve' : 'acknowledge'} of incident ${incident}`,
    },
  };
}
