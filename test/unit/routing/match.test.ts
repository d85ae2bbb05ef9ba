import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { routeSchema } from '../../../src/config/schema.js';
import { compileRoutes } from '../../../src/routing/compile.js';
import { matchRoutes } from '../../../src/routing/match.js';

// A routing table as an admin would write it; each case below names the routes an event should reach.
const table = compileRoutes(
  z.array(routeSchema).parse(
    parse(`
- name: ci-failures
  match:
    source: gh
    event: workflow_run
    where:
      workflow_run.conclusion: [failure, timed_out]
      repository.full_name: "~^acme/"
    not:
      where: { workflow_run.head_branch: "~^dependabot/" }
  to: ["slack:#ci"]
  template: github/workflow_run
  actions: [ack, retry]
  thread: reply
  continue: true
- name: audit-everything-from-gh
  match: { source: gh }
  to: [console]
  continue: true
- name: bugs
  match: { source: [gh, gl], where: { issue.labels.name: bug } }
  to: ["slack:#bugs"]
- name: payments
  match: { source: "pay*", event: "charge.*" }
  to: ["slack:#payments", console]
- name: big-or-eu
  match:
    source: payments
    any:
      - where: { data.object.amount: "~^[0-9]{6,}$" }
      - where: { data.object.currency: [eur, gbp] }
  to: ["slack:#finance"]
- match: { where: { alerts.labels.severity: critical, alerts.labels.app.kubernetes.io/name: db, status: firing } }
  to: ["slack:#oncall"]
- match: { where: { ok: true, code: 200, missing: null } }
  to: [console]
- match: {}
  to: [console]
`),
  ),
);

type Case = [name: string, event: { source: string; type: string; payload: unknown }, routes: string[]];

const run = (conclusion: string, branch = 'main', repo = 'acme/app') => ({
  workflow_run: { conclusion, head_branch: branch },
  repository: { full_name: repo },
});

describe('matchRoutes', () => {
  it.each<Case>([
    ['list, regex, continue', { source: 'gh', type: 'workflow_run', payload: run('failure') }, ['ci-failures', 'audit-everything-from-gh', '#7']],
    ['second list value', { source: 'gh', type: 'workflow_run', payload: run('timed_out') }, ['ci-failures', 'audit-everything-from-gh', '#7']],
    ['where fails', { source: 'gh', type: 'workflow_run', payload: run('success') }, ['audit-everything-from-gh', '#7']],
    ['regex fails', { source: 'gh', type: 'workflow_run', payload: run('failure', 'main', 'other/app') }, ['audit-everything-from-gh', '#7']],
    ['not: excludes', { source: 'gh', type: 'workflow_run', payload: run('failure', 'dependabot/npm') }, ['audit-everything-from-gh', '#7']],
    ['path into an array', { source: 'gh', type: 'issues', payload: { issue: { labels: [{ name: 'ui' }, { name: 'bug' }] } } }, ['audit-everything-from-gh', 'bugs']],
    ['source list', { source: 'gl', type: 'issue', payload: { issue: { labels: [{ name: 'bug' }] } } }, ['bugs']],
    ['array with no match', { source: 'gl', type: 'issue', payload: { issue: { labels: [{ name: 'ui' }] } } }, ['#7']],
    ['globs on source and event; first match wins', { source: 'payments', type: 'charge.succeeded', payload: { data: { object: { amount: 1_000_000 } } } }, ['payments']],
    ['glob crosses dots', { source: 'payments', type: 'charge.dispute.created', payload: {} }, ['payments']],
    ['glob is anchored', { source: 'payments', type: 'xcharge.failed', payload: {} }, ['#7']],
    ['any: first alternative (number against regex)', { source: 'payments', type: 'invoice.paid', payload: { data: { object: { amount: 250_000 } } } }, ['big-or-eu']],
    ['any: second alternative', { source: 'payments', type: 'invoice.paid', payload: { data: { object: { amount: 5, currency: 'gbp' } } } }, ['big-or-eu']],
    ['any: neither', { source: 'payments', type: 'invoice.paid', payload: { data: { object: { amount: 5, currency: 'usd' } } } }, ['#7']],
    [
      'dotted label keys and arrays',
      { source: 'am', type: 'alert', payload: { status: 'firing', alerts: [{ labels: { severity: 'warning' } }, { labels: { severity: 'critical', 'app.kubernetes.io/name': 'db' } }] } },
      ['#5'],
    ],
    ['numbers and booleans match their string forms; null matches absent', { source: 'x', type: 'y', payload: { ok: 'true', code: '200' } }, ['#6']],
    ['null does not match a present value', { source: 'x', type: 'y', payload: { ok: true, code: 200, missing: 'here' } }, ['#7']],
    ['empty match takes everything', { source: 'anything', type: 'at-all', payload: null }, ['#7']],
  ])('%s', (_name, event, routes) => {
    expect(matchRoutes(table, event).map((m) => m.route)).toEqual(routes);
  });

  it('returns what the delivery needs, with defaults filled in', () => {
    const [first, second] = matchRoutes(table, { source: 'gh', type: 'workflow_run', payload: run('failure') });
    expect(first).toEqual({ route: 'ci-failures', targets: ['slack:#ci'], template: 'github/workflow_run', actions: ['ack', 'retry'], thread: 'reply' });
    expect(second).toEqual({ route: 'audit-everything-from-gh', targets: ['console'], actions: [], thread: 'update' });
  });

  it('matches nothing without a catch-all', () => {
    expect(matchRoutes(table.slice(0, 5), { source: 'zz', type: 'ping', payload: {} })).toEqual([]);
    expect(matchRoutes([], { source: 'gh', type: 'ping', payload: {} })).toEqual([]);
  });
});
