import { z } from 'zod';

/** Payment schedules: recurring charges the server runs when due. */

export const scheduleOut = z.object({
  id: z.string(),
  amountCents: z.number(),
  account: z.string(),
  description: z.string(),
  payerName: z.string(),
  payerEmail: z.string().nullable(),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  method: z.string(),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  interval: z.enum(['weekly', 'monthly']),
  nextRunOn: z.string().nullable(),
  status: z.enum(['active', 'cancelled']),
  createdBy: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  runs: z.array(z.object({ runOn: z.string(), status: z.enum(['claimed', 'paid', 'declined']), paymentId: z.string().nullable(), declineReason: z.string().nullable() })),
});
