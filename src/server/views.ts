import { z } from 'zod';
import { REASONS, RECORD_STATUSES } from '../domain/types.ts';
import { account } from './schemas.ts';

// The response shapes the API returns, shared by the routes and the OpenAPI document.

export const allocationOut = z.object({
  invoiceNumber: z.string().nullable(),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  amountCents: z.number(),
});

export const postingRecord = z.object({
  id: z.string(),
  paymentId: z.string(),
  reversalOf: z.string().nullable(),
  status: z.enum(RECORD_STATUSES),
  reasons: z.array(z.enum(REASONS)),
  fromPaymentPage: z.boolean(),
  amountCents: z.number().describe('the receipt: payment amount less surcharge; negative for a reversal'),
  surchargeCents: z.number(),
  account,
  method: z.string(),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  origin: z.string(),
  payerName: z.string(),
  invoiceNumbers: z.array(z.string()),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  allocations: z.array(allocationOut),
  memo: z.string(),
  removalNote: z.string().nullable(),
  batchId: z.string().nullable(),
  batchSeq: z.number().nullable(),
  version: z.number(),
  processedAt: z.string(),
  statusChangedAt: z.string(),
  updatedAt: z.string(),
});

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

export const batchOut = z.object({
  id: z.string(),
  seq: z.number(),
  fileName: z.string(),
  fileFormat: z.string(),
  sha256: z.string(),
  lineCount: z.number(),
  recordCount: z.number(),
  totalCents: z.number(),
  status: z.enum(['queued', 'delivered']),
  createdBy: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

export const recordDetail = postingRecord.extend({
  payment: paymentOut,
  batch: batchOut.nullable(),
  history: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      actorKind: z.string(),
      action: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      detail: z.unknown(),
    }),
  ),
});
