import { z } from 'zod';

/**
 * The Stripe event fields the built-in templates (templates/stripe/*.hbs) rely on, keyed by event
 * type family as the templates are (`charge.dispute.created` → `charge.dispute`). Every template
 * reads `data.object`; `livemode` picks the dashboard link.
 */
const event = (object: z.ZodRawShape) =>
  z.looseObject({
    id: z.string(),
    type: z.string(),
    data: z.looseObject({ object: z.looseObject({ id: z.string(), object: z.string(), livemode: z.boolean(), ...object }) }),
  });

const money = { amount: z.number(), currency: z.string() };

export const stripeSchemas: Record<string, z.ZodType> = {
  charge: event({ ...money }),
  'charge.dispute': event({ ...money, status: z.string(), reason: z.string() }),
  'checkout.session': event({ amount_total: z.number().nullable(), currency: z.string().nullable(), payment_status: z.string(), mode: z.string() }),
  'customer.subscription': event({ status: z.string(), customer: z.string(), items: z.looseObject({ data: z.array(z.unknown()) }) }),
  invoice: event({ amount_due: z.number(), amount_paid: z.number(), currency: z.string(), status: z.string().nullable() }),
  payment_intent: event({ ...money, status: z.string() }),
  payout: event({ ...money, status: z.string(), arrival_date: z.number() }),
  '*': z.looseObject({ id: z.string(), type: z.string(), data: z.looseObject({ object: z.looseObject({}) }) }),
};
