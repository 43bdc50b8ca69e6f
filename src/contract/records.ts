import { z } from 'zod';
import { METHODS, ORIGINS, REASONS, RECORD_STATUSES, REVERSAL_KINDS } from '../domain/types.ts';
import { depositAccountRef } from './deposit-accounts.ts';
import { account } from './fields.ts';

/** A posting record as every list and answer shows it (SPEC §4): its own module, since payments and postings both answer with it. */

export const allocationOut = z.object({
  invoiceNumber: z.string().nullable(),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  amountCents: z.number(),
});

export const postingRecord = z.object({
  id: z.string(),
  paymentId: z.string(),
  reversalOf: z.string().nullable().describe('the record this one reverses, for a reversal'),
  reversalKind: z
    .enum(REVERSAL_KINDS)
    .nullable()
    .describe(
      'what a reversal undoes (a void, refund, chargeback, eCheck return or correction); null for any other record',
    ),
  replaces: z
    .string()
    .nullable()
    .describe("a correction's replacement: the posted record whose allocations it replaces (SPEC §3.7)"),
  correctionId: z
    .string()
    .nullable()
    .describe(
      'the correction this record is half of (its reversal and its replacement share it and are posted together); null for any other record',
    ),
  status: z.enum(RECORD_STATUSES),
  reasons: z.array(z.enum(REASONS)),
  clientMismatchAccepted: z.boolean().describe("an accountant accepted that a third party pays this client's invoice"),
  fromPaymentPage: z.boolean(),
  amountCents: z.number().describe('the receipt: payment amount less surcharge; negative for a reversal'),
  surchargeCents: z.number(),
  account,
  ...depositAccountRef,
  method: z.enum(METHODS),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  origin: z.enum(ORIGINS),
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
  postingDate: z
    .string()
    .describe(
      "YYYY-MM-DD in the firm's time zone: the date the record's batch file gives it, or would give it if it were posted now",
    ),
  mmsStatus: z
    .enum(['awaiting', 'applied', 'rejected'])
    .nullable()
    .describe(
      "what the MMS did with the record's last delivery: null until posted; rejected while a refused record waits to be fixed",
    ),
  mmsMessage: z.string().nullable().describe("the MMS's words when it refused the record"),
  batchAnswerExpected: z
    .boolean()
    .nullable()
    .describe(
      "whether the agent that delivered the record's batch reports the MMS's answer (null outside a batch): without one, awaiting means delivered, and no answer will come",
    ),
});
