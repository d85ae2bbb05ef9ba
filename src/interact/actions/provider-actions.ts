import { actor, type ActionContext } from './action-context.js';
import { opsgenieAlert } from './provider-opsgenie.js';
import { pagerdutyStatus } from './provider-pagerduty.js';
import { apiOf, type ProviderPlan } from './provider-plan.js';
import { sentryResolve } from './provider-sentry.js';

/** Ack also acknowledges at providers that have the notion (PagerDuty incidents, Opsgenie alerts). */
export function ackPlan(c: ActionContext): ProviderPlan | undefined {
  const api = apiOf(c.source);
  if (c.source.cfg.type === 'pagerduty') return pagerdutyStatus(c.event, api, 'acknowledged');
  if (c.source.cfg.type === 'opsgenie') return opsgenieAlert(c.event, api, 'acknowledge', actor(c));
  return undefined;
}

/** Resolve: the PagerDuty incident, the Opsgenie alert (closed), the Sentry issue. */
export function resolvePlan(c: ActionContext): ProviderPlan | undefined {
  const api = apiOf(c.source);
  if (c.source.cfg.type === 'pagerduty') return pagerdutyStatus(c.event, api, 'resolved');
  if (c.source.cfg.type === 'opsgenie') return opsgenieAlert(c.event, api, 'close', actor(c));
  if (c.source.cfg.type === 'sentry') return sentryResolve(c.event, api);
  return undefined;
}
