import { z } from 'zod';
import { METHODS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { account, depositAccountId, idParam, isoDate, positiveCents, processorToken, requiredText } from './fields.ts';

/** Payment schedules: recurring charges the server runs when due. */

export const scheduleOut = z.object({
  id: z.string(),
  amountCents: z.number(),
  account,
  depositAccountId: z.string().describe('the deposit account its payments go to'),
  description: z.string(),
  payerName: z.string(),
  payerEmail: z.string().nullable(),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  method: z.enum(METHODS),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  interval: z.enum(['weekly', 'monthly']),
  nextRunOn: z.string().nullable(),
  status: z.enum(['active', 'cancelled']),
  createdBy: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  runs: z.array(
    z.object({
      runOn: z.string(),
      status: z.enum(['claimed', 'paid', 'declined']),
      paymentId: z.string().nullable(),
      declineReason: z.string().nullable(),
    }),
  ),
});

export const createScheduleBody = z
  .object({
    token: processorToken,
    amountCents: positiveCents,
    account,
    depositAccountId: depositAccountId.optional(),
    description: requiredText(500),
    payerName: requiredText(200),
    payerEmail: z.email().max(320).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
    interval: z.enum(['weekly', 'monthly']),
    startOn: isoDate,
  })
  .strict();

export const createScheduleEndpoint = endpoint({
  method: 'POST',
  path: '/payment-schedules',
  access: 'accountant',
  summary: 'A recurring charge on a processor token, weekly or monthly from startOn (UTC dates)',
  body: createScheduleBody,
  status: 201,
  response: scheduleOut,
});

export const listSchedulesEndpoint = endpoint({
  method: 'GET',
  path: '/payment-schedules',
  access: 'user',
  summary: "The firm's payment schedules with their runs",
  response: z.object({ items: z.array(scheduleOut) }),
});

export const cancelScheduleEndpoint = endpoint({
  method: 'POST',
  path: '/payment-schedules/:id/cancel',
  access: 'accountant',
  summary: 'Stop a payment schedule',
  params: idParam,
  body: z.object({}).strict().optional(),
  response: scheduleOut,
});
