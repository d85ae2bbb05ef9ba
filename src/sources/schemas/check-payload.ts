import type { z } from 'zod';
import { payloadSchemas } from './payload-schemas.js';

export type PayloadCheck = { ok: true } | { ok: false; missing: string[] };

/** Paths named in one answer; a payload missing more than this is broken as a whole anyway. */
const MAX_PATHS = 10;

/**
 * The schema for an event, looked up the way templates are: the event type, then each dotted
 * family (`charge.dispute.created` → `charge.dispute` → `charge`), then the provider's `*`.
 */
export function schemaFor(type: string, eventType: string): z.ZodType | undefined {
  const schemas = payloadSchemas[type];
  if (!schemas) return undefined;
  const parts = eventType.split('.');
  for (let n = parts.length; n > 0; n--) {
    const schema = schemas[parts.slice(0, n).join('.')];
    if (schema) return schema;
  }
  return schemas['*'];
}

/**
 * Whether a payload has the fields its templates rely on. `missing` lists the dotted paths that
 * are absent or not of the expected type (a field of the wrong type is as unusable as none).
 * Providers without schemas always pass.
 */
export function checkPayload(type: string, eventType: string, payload: unknown): PayloadCheck {
  const schema = schemaFor(type, eventType);
  if (!schema) return { ok: true };
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true };
  const paths = result.error.issues.map((issue) => (issue.path.length ? issue.path.map(String).join('.') : 'payload'));
  return { ok: false, missing: [...new Set(paths)].slice(0, MAX_PATHS) };
}
