import type { Severity } from '../message.js';
import { split, toText, type HelperSet } from './value.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info', 'success', 'neutral'];

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** Status words of the providers we ship templates for, by the colour a reader expects. */
const WORDS: Record<string, Severity> = {};
const add = (severity: Severity, words: string): void => {
  for (const w of words.split(' ')) WORDS[w] = severity;
};
add('critical', 'critical crit fatal emergency emerg alert page p1 sev1 lost');
add('error', 'error err failure failed fail timed_out startup_failure broken high p2 sev2 firing payment_failed requires_payment_method uncollectible unpaid disputed');
add('warning', 'warning warn action_required changes_requested needs_response warning_needs_response under_review warning_under_review past_due medium p3 sev3 refunded expired incomplete');
add('info', 'info information informational low p4 in_progress queued pending running requested waiting created preparing scheduled manual opened open reopened submitted processing requires_action updated published');
add('success', 'success succeeded successful passed completed_success ok resolved merged approved paid won active released deployed');
add('neutral', 'neutral cancelled canceled skipped stale closed deleted none unknown inactive');

/**
 * Severity for a status word: `failure` → error, `success` → success, a dotted event type by its
 * last part (`charge.failed` → error). Unknown words are neutral.
 */
export function statusSeverity(v: unknown): Severity {
  const text = toText(v).trim().toLowerCase();
  const word = text.slice(text.lastIndexOf('.') + 1).replace(/[\s-]+/g, '_');
  return isSeverity(word) ? word : WORDS[word] ?? 'neutral';
}

/** `{{statusSeverity x}}`, usually as `{{severity (statusSeverity x)}}`. */
export function severityHelpers(): HelperSet {
  return {
    statusSeverity(...args) {
      const [[v]] = split(args);
      return statusSeverity(v);
    },
  };
}
