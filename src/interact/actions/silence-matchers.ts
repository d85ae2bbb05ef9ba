import { readPath } from '../../sources/read-path.js';

export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: false;
  readonly isEqual: true;
}

function labelsAt(payload: unknown, path: string): [string, string][] {
  const labels = readPath(payload, path);
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return [];
  // An empty value would match every alert lacking the label; Alertmanager refuses such silences.
  return Object.entries(labels as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
}

/**
 * Exact matchers for an alert group: its `groupLabels` are what defines the group; a route grouped
 * by nothing sends none, and then the labels every alert of the group shares (`commonLabels`) stand
 * in, so the silence never widens to everything. Empty when neither names a label.
 */
export function silenceMatchers(payload: unknown): SilenceMatcher[] {
  const group = labelsAt(payload, 'groupLabels');
  const labels = group.length > 0 ? group : labelsAt(payload, 'commonLabels');
  return labels
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}
