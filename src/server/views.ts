import { z } from 'zod';
import { INVOICE_STATUSES, REASONS, RECORD_STATUSES } from '../domain/types.ts';
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
  clientMismatchAccepted: z.boolean().describe('an accountant accepted that a third party pays this client\'s invoice'),
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
  postingDate: z.string().describe("YYYY-MM-DD in the firm's time zone: the date the record's batch file gives it, or would give it if it were posted now"),
  mmsStatus: z.enum(['awaiting', 'applied', 'rejected']).nullable().describe("what the MMS did with the record's last delivery: null until posted; rejected while a refused record waits to be fixed"),
  mmsMessage: z.string().nullable().describe("the MMS's words when it refused the record"),
  batchAnswerExpected: z.boolean().nullable().describe("whether the agent that delivered the record's batch reports the MMS's answer (null outside a batch): without one, awaiting means delivered, and no answer will come"),
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
  answerExpected: z.boolean().describe("the delivering agent reports the MMS's answer; without one, delivery counts as applied"),
  appliedLines: z.number().describe('lines the MMS applied'),
  rejectedLines: z.number().describe('lines the MMS refused'),
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

/** Link statuses as shown: "expired" is an outstanding link past its time. */
export const LINK_STATUSES = ['outstanding', 'paid', 'cancelled', 'expired'] as const;

const linkBase = z.object({
  id: z.string(),
  amountCents: z.number(),
  allocations: z.array(allocationOut),
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** A payment link in the firm's list: never its token. */
export const paymentLinkOut = linkBase.extend({ paymentId: z.string().nullable(), createdBy: z.string(), paidAt: z.string().nullable() });

const payerPath = z.string().describe('the payer opens this path of the web app');

/** A payment link just made: its token is in this answer only. */
export const createdPaymentLinkOut = linkBase.extend({ token: z.string(), path: payerPath });

/** Make A Payment's answer: the payment and the posting record it made. */
export const connectPaymentOut = z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() });

export const quickLinkOut = z.object({
  id: z.string(),
  amountCents: z.number(),
  description: z.string(),
  account,
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  paymentId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});

/** A quick link just made: its token is in this answer only. */
export const createdQuickLinkOut = quickLinkOut.extend({ token: z.string(), path: payerPath });

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

export const invoiceOut = z.object({
  invoiceNumber: z.string(),
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string(),
  matterDescription: z.string(),
  invoiceDate: z.string(),
  totalCents: z.number(),
  balanceCents: z.number(),
  availableCents: z.number().describe('the balance less what pending and queued records already apply; negative when over-applied'),
  status: z.enum(INVOICE_STATUSES),
});

export const matterOut = z.object({
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string(),
  description: z.string(),
});
