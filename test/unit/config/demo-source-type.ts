import { z } from 'zod';
import { duration, secrets } from '../../../src/sources/config-fields.js';
import type { SourceType } from '../../../src/sources/types.js';

const config = z.strictObject({
  type: z.literal('demo'),
  secret: secrets,
  tolerance: duration.optional(),
  nested: z.strictObject({ deep: z.strictObject({ x: z.string() }) }).optional(),
});

/** A test-only source type, so config tests do not depend on which providers are registered. */
export const demoSourceType: SourceType<z.infer<typeof config>> = {
  type: 'demo',
  area: 'any',
  summary: 'test source',
  verification: 'none (test only)',
  config,
  verify: () => ({ ok: true }),
  describe: () => ({ id: '1', type: 'ping' }),
  sign: (body) => ({ headers: {}, body }),
};

export const demoTypes = [demoSourceType];
