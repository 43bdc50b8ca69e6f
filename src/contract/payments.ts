import { z } from 'zod';
import { CARD_FUNDINGS, METHODS, ORIGINS, PAYMENT_STATUSES, RECORD_STATUSES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { account, idParam, listFilters, listSortParam, paymentIn, positiveCents } from './fields.ts';
import { depositAccountRef } from './deposit-accounts.ts';
import { postingRecord } from './records.ts';

/** Payments of every origin (SPEC §2, §9): the Payment Manager's shapes. */

export const paymentOut = z.object({
  id: z.string(),
  processorId: z.string(),
  processedAt: z.string(),
  amountCents: z.number(),
  surchargeCents: z.number(),
  method: z.enum(METHODS),
  cardBrand: z.string().nullable(),
  cardFunding: z
    .enum(CARD_FUNDINGS)
    .nullable()
    .describe("a card's funding as the processor reported it; null for an eCheck or where unknown"),
  last4: z.string().nullable(),
  account,
  ...depositAccountRef,
  payerName: z.string(),
  payerEmail: z.string().nullable(),
  invoiceNumbers: z.array(z.string()),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  origin: z.enum(ORIGINS),
  paymentPageId: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  reversedAt: z.string().nullable(),
  refundedCents: z.number().describe('what has been refunded so far: all of amountCents once the status is refunded'),
  settlesOn: z
    .string()
    .describe(
      "YYYY-MM-DD in the firm's time zone: the day the processor pays the payment out; a void is possible only before it",
    ),
  voidable: z.boolean().describe('approved, nothing refunded yet, and not settled: a void is still possible'),
  postingRecordId: z.string().nullable(),
  postingStatus: z.enum(RECORD_STATUSES).nullable(),
});

export const takenPayment = z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() });

export const paymentListQuery = listFilters.extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number<number>().int().min(1).max(500).default(50),
  sort: listSortParam,
});

export const takePaymentEndpoint = endpoint({
  method: 'POST',
  path: '/payments',
  access: 'accountant',
  summary: 'Take in a payment; idempotent on processorId (201 when new, 200 for a repeat)',
  body: paymentIn,
  status: 201,
  repeatStatus: 200,
  response: takenPayment,
});

export const reversePaymentEndpoint = endpoint({
  method: 'POST',
  path: '/payments/:id/reverse',
  access: 'accountant',
  summary: 'Void, refund or charge back a payment (SPEC §3.5); a void or refund is made at the processor first',
  params: idParam,
  body: z
    .object({
      kind: z.enum(['void', 'refund', 'chargeback']),
      amountCents: positiveCents
        .optional()
        .describe('a refund of part of the payment (up to what is still refundable); absent: all of what is left'),
    })
    .strict()
    .refine((body) => body.amountCents === undefined || body.kind === 'refund', {
      path: ['amountCents'],
      error: 'is taken with a refund only: a void or chargeback reverses all of the payment',
    }),
  response: z.object({
    payment: paymentOut,
    reversal: postingRecord.nullable(),
    processorAction: z
      .enum(['refunded', 'voided', 'none'])
      .describe('none: a chargeback, or a payment this processor did not make'),
  }),
});

export const listPaymentsEndpoint = endpoint({
  method: 'GET',
  path: '/payments',
  access: 'user',
  summary: 'Payment Manager: every payment of every origin',
  query: paymentListQuery,
  response: z.object({ items: z.array(paymentOut), nextCursor: z.string().nullable() }),
});
