import { describe, expect, it } from 'vitest';
import { opsgenieAlert } from '../../../src/interact/actions/provider-opsgenie.js';
import { pagerdutyStatus } from '../../../src/interact/actions/provider-pagerduty.js';
import { sentryResolve } from '../../../src/interact/actions/provider-sentry.js';
import type { StoredEvent } from '../../../src/store/types.js';

const event = (source: string, type: string, payload: unknown): StoredEvent => ({ source, id: 'e1', type, receivedAt: '2026-03-01T12:00:00Z', headers: {}, payload });

describe('provider plans', () => {
  it('PagerDuty: a note on an incident acts on that incident; without From the header is left out', () => {
    const plan = pagerdutyStatus(event('pd', 'incident.annotated', { event: { data: { incident: { id: 'PINC1' } } } }), { url: 'https://api.pagerduty.com/', token: 'tok' }, 'resolved');
    expect(plan).toMatchObject({ kind: 'request', request: { url: 'https://api.pagerduty.com/incidents/PINC1', method: 'PUT' } });
    expect(plan?.kind === 'request' && plan.request.headers).not.toHaveProperty('from');
  });

  it('PagerDuty: events about other resources are not incidents to resolve', () => {
    expect(pagerdutyStatus(event('pd', 'service.updated', { event: { data: { id: 'PSVC', type: 'service' } } }), { url: 'https://x', token: 't' }, 'resolved')).toBeUndefined();
  });

  it('Opsgenie: no alert id, nothing to do; no token, unavailable', () => {
    expect(opsgenieAlert(event('og', 'alert.create', {}), { url: 'https://x', token: 't' }, 'close', 'ana')).toBeUndefined();
    expect(opsgenieAlert(event('og', 'alert.create', { alert: { alertId: 'a1' } }), undefined, 'close', 'ana')).toMatchObject({ kind: 'unavailable' });
  });

  it('Sentry: a bare host gets /api/0; an issue alert finds its organization from the event link', () => {
    const payload = { data: { event: { issue_id: '77', url: 'https://sentry.io/api/0/projects/acme/web/events/abc/' } } };
    const plan = sentryResolve(event('s', 'event_alert.triggered', payload), { url: 'https://sentry.example.com', token: 't' });
    expect(plan).toMatchObject({ kind: 'request', request: { url: 'https://sentry.example.com/api/0/organizations/acme/issues/77/' } });
  });

  it('Sentry: without the organization, the issue endpoint without it; metric alerts are not issues', () => {
    const plan = sentryResolve(event('s', 'issue.created', { data: { issue: { id: '9' } } }), { url: 'https://sentry.io/api/0', token: 't' });
    expect(plan).toMatchObject({ kind: 'request', request: { url: 'https://sentry.io/api/0/issues/9/' } });
    expect(sentryResolve(event('s', 'metric_alert.critical', { data: { metric_alert: { id: '5' } } }), { url: 'https://sentry.io/api/0', token: 't' })).toBeUndefined();
  });
});
