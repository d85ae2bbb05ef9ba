import { z } from 'zod';

/**
 * The Alertmanager webhook (payload version 4) fields templates/alertmanager/default.hbs relies on.
 * Both event types (`firing`, `resolved`) share the shape.
 */
const labels = z.record(z.string(), z.string());

const alert = z.looseObject({
  status: z.string(),
  labels,
  annotations: labels,
  startsAt: z.string(),
});

export const alertmanagerSchemas: Record<string, z.ZodType> = {
  '*': z.looseObject({
    status: z.string(),
    receiver: z.string(),
    alerts: z.array(alert),
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: labels,
    externalURL: z.string(),
  }),
};
