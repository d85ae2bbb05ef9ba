import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silenceMatchers } from '../../../src/interact/actions/silence-matchers.js';

const fixture = (provider: string, name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/sources/${provider}/${name}.json`, import.meta.url), 'utf8'));

const exact = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });

describe('silenceMatchers', () => {
  it('matches an Alertmanager group by its groupLabels, exactly', () => {
    expect(silenceMatchers(fixture('alertmanager', 'firing'))).toEqual([exact('alertname', 'HighErrorRate')]);
  });

  it('matches a Grafana group by its groupLabels, sorted by name', () => {
    expect(silenceMatchers(fixture('grafana', 'firing'))).toEqual([exact('alertname', 'HighLatency'), exact('grafana_folder', 'Checkout')]);
  });

  it('falls back to commonLabels when the route groups by nothing, so the silence never matches everything', () => {
    const payload = { groupLabels: {}, commonLabels: { severity: 'page', alertname: 'Down', job: 'api' } };
    expect(silenceMatchers(payload)).toEqual([exact('alertname', 'Down'), exact('job', 'api'), exact('severity', 'page')]);
  });

  it('leaves out empty and non-string values (an empty matcher would match every alert lacking the label)', () => {
    expect(silenceMatchers({ groupLabels: { alertname: 'X', team: '', n: 3 } })).toEqual([exact('alertname', 'X')]);
  });

  it('is empty when the payload names no labels at all', () => {
    expect(silenceMatchers({})).toEqual([]);
    expect(silenceMatchers({ groupLabels: null, commonLabels: [] })).toEqual([]);
    expect(silenceMatchers({ groupLabels: { a: '' }, commonLabels: {} })).toEqual([]);
  });

  it('keeps label values as they are (quotes, unicode, regex characters are literal with isRegex false)', () => {
    expect(silenceMatchers({ groupLabels: { path: '/api/.*"x"', city: 'Zürich' } })).toEqual([exact('city', 'Zürich'), exact('path', '/api/.*"x"')]);
  });
});
