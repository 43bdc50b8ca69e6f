import { z } from 'zod';
import { COMPLETED_REASONS } from '../domain/schedule-ends.ts';
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
  /** How it ends: at most one of endAfterCount, endsOn and untilInvoicePaid (with invoiceNumber). */
  endAfterCount: z.number().nullable(),
  endsOn: z.string().nullable(),
  untilInvoicePaid: z.boolean(),
  invoiceNumber: z.string().nullable(),
  /** Successful charges so far (a count end counts these). */
  paymentsMade: z.number(),
  status: z.enum(['active', 'cancelled', 'completed']),
  completedReason: z.enum(COMPLETED_REASONS).nullable(),
  completedAt: z.string().nullable(),
  /** The latest declined attempt: its date in the firm's time zone and the processor's reason. */
  lastFailure: z.object({ on: z.string(), reason: z.string() }).nullable(),
  /** When a declined occurrence is tried again (the day after it failed). */
  retryOn: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  runs: z.array(
    z.object({
      runOn: z.string(),
      /** declined: failed once, retried on retryOn; missed: the retry failed too, never charged. */
      status: z.enum(['claimed', 'paid', 'declined', 'missed']),
      amountCents: z.number(),
      /** 1, or 2 once retried. */
      attempts: z.number(),
      paymentId: z.string().nullable(),
      declineReason: z.string().nullable(),
      failedOn: z.string().nullable(),
      retryOn: z.string().nullable(),
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
    /** Ends after this many successful charges. */
    endAfterCount: z.number().int().min(1).max(1000).optional(),
    /** Ends on this date in the firm's time zone: its last charge is on or before it. */
    endsOn: isoDate.optional(),
    /** Ends once invoiceNumber is paid or void in the MMS; no charge is more than its open balance. */
    untilInvoicePaid: z.boolean().optional(),
    invoiceNumber: requiredText(64).optional(),
  })
  .strict();

export const createScheduleEndpoint = endpoint({
  method: 'POST',
  path: '/payment-schedules',
  access: 'accountant',
  summary:
    "A recurring charge on a processor token, weekly or monthly from startOn (dates in the firm's time zone), ending never, after endAfterCount payments, on endsOn, or once the invoice is paid",
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
