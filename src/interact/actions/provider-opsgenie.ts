import { readText } from '../../sources/read-path.js';
import type { StoredEvent } from '../../store/types.js';
import { baseOf, jsonHeaders, noToken, type ProviderApi, type ProviderPlan } from './provider-plan.js';

/**
 * Opsgenie Alert API: `POST /v2/alerts/{id}/acknowledge` or `/close` (by alert id), with the person
 * as `user` so Opsgenie's log says who. Opsgenie answers 202 and applies it asynchronously.
 */
export function opsgenieAlert(event: StoredEvent, api: ProviderApi | undefined, action: 'acknowledge' | 'close', by: string): ProviderPlan | undefined {
  const alertId = readText(event.payload, 'alert.alertId');
  if (!alertId) return undefined;
  if (!api?.token) return noToken(event.source, 'Opsgenie', action === 'close' ? 'Resolve' : 'Ack');
  return {
    kind: 'request',
    provider: 'Opsgenie',
    secrets: [api.token],
    request: {
      url: `${baseOf(api)}/v2/alerts/${encodeURIComponent(alertId)}/${action}?identifierType=id`,
      method: 'POST',
      headers: { authorization: `GenieKey ${api.token}`, ...jsonHeaders },
      body: JSON.stringify({ user: by, source: 'hookbridge', note: `${action === 'close' ? 'Closed' : 'Acknowledged'} from chat by ${by}` }),
      what: `Opsgenie ${action} of alert ${readText(event.payload, 'alert.tinyId') ?? alertId}`,
    },
  };
}
