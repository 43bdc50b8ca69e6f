import { z } from 'zod';

/** Payments of every origin (SPEC §2, §9): the Payment Manager's shapes. */

export const paymentOut = z.object({
  id: z.string(),
  processorId: z.string(),
  processedAt: z.string(),
  amountCents: z.number(),
  surchargeCents: z.number(),
  method: z.string(),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  account: z.string(),
  payerName: z.string(),
  payerEmail: z.string().nullable(),
  invoiceNumbers: z.array(z.string()),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  origin: z.string(),
  paymentPageId: z.string().nullable(),
  status: z.string(),
  reversedAt: z.string().nullable(),
  postingRecordId: z.string().nullable(),
  postingStatus: z.string().nullable(),
});
