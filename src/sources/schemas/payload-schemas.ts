import type { z } from 'zod';
import { alertmanagerSchemas } from './alertmanager.js';
import { githubSchemas } from './github.js';
import { gitlabSchemas } from './gitlab.js';
import { stripeSchemas } from './stripe.js';

/**
 * What the built-in templates expect of each provider's payloads: source type → event type (or a
 * dotted family of it, or `*`) → schema. The schemas describe only the fields the templates read,
 * and let everything else through, so a provider adding fields never trips them. Built once, here,
 * at module load.
 */
export const payloadSchemas: Readonly<Record<string, Readonly<Record<string, z.ZodType>>>> = {
  github: githubSchemas,
  gitlab: gitlabSchemas,
  stripe: stripeSchemas,
  alertmanager: alertmanagerSchemas,
};
