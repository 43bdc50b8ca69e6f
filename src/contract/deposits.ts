import { z } from 'zod';
import { PAYOUT_LINE_KINDS } from '../domain/payouts.ts';
import { MMS_STATES } from '../domain/deposits.ts';
import { METHODS, PAYMENT_STATUSES, RECORD_STATUSES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { XLSX_TYPE } from './exports.ts';
import { account, idParam, isoDate, text } from './fields.ts';

/** Deposits (SPEC §5.3, issue 14): the processor's payouts, each explained line by line. */

export const payoutOut = z.object({
  id: z.string(),
  processorPayoutId: z.string().describe("the processor's id of the payout, as the bank statement may show it"),
  depositAccountId: z.string(),
  depositAccountName: z.string(),
  account,
  settledOn: z.string().describe("the firm's day whose payments, refunds and chargebacks the payout carries"),
  paidAt: z.string(),
  paidOn: z.string().describe("the firm's day the payout reached the bank: the date on the bank statement"),
  grossCents: z.number().describe('payments and surcharges'),
  refundsCents: z.number().describe('zero or negative'),
  chargebacksCents: z.number().describe('chargebacks and eCheck returns; zero or negative'),
  feesCents: z.number().describe('processing fees; zero or negative'),
  netCents: z
    .number()
    .describe('what reached the bank: the sum of the four; negative when the processor took money back'),
  lineCount: z.number(),
  paymentCount: z.number(),
  unappliedCount: z.number().describe('lines of a payment or reversal the MMS has not applied yet'),
});

export const depositListQuery = z
  .object({
    from: isoDate.optional().describe('paid on or after this day'),
    to: isoDate.optional().describe('paid on or before this day'),
    account: account.optional(),
    depositAccountId: text(100).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number<number>().int().min(1).max(500).default(50),
  })
  .strict();

export const listDepositsEndpoint = endpoint({
  method: 'GET',
  path: '/deposits',
  access: 'user',
  summary: 'Deposits: the processor payouts, newest paid first, by paid date and deposit account',
  query: depositListQuery,
  response: z.object({ items: z.array(payoutOut), nextCursor: z.string().nullable() }),
});

export const payoutLineOut = z.object({
  line: z.number(),
  kind: z.enum(PAYOUT_LINE_KINDS),
  amountCents: z.number().describe('money in positive, out negative'),
  processorId: z.string(),
  refundId: z.string().nullable(),
  payment: z
    .object({
      id: z.string(),
      payerName: z.string(),
      processedAt: z.string(),
      method: z.enum(METHODS),
      amountCents: z.number(),
      status: z.enum(PAYMENT_STATUSES),
      depositAccountId: z.string(),
    })
    .nullable()
    .describe('null: no payment in paybridge has this processor id'),
  postingRecord: z
    .object({
      id: z.string(),
      status: z.enum(RECORD_STATUSES),
      batchId: z.string().nullable(),
      batchSeq: z.number().nullable(),
    })
    .nullable()
    .describe("a payment's current record, or for a refund or chargeback the reversal record that follows it"),
  mmsState: z.enum(MMS_STATES),
  needsAttention: z.boolean().describe('money moved that the MMS has not applied (fees never need it)'),
});

export const getDepositEndpoint = endpoint({
  method: 'GET',
  path: '/deposits/:id',
  access: 'user',
  summary: 'One payout with its lines, each with its payment, posting record, batch and MMS state',
  params: idParam,
  response: z.object({ payout: payoutOut, lines: z.array(payoutLineOut) }),
});

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
  .describe('a month as YYYY-MM, of the days payouts were paid on');

export const statementAccountOut = z.object({
  depositAccountId: z.string(),
  name: z.string(),
  kind: account,
  payoutCount: z.number(),
  paymentCount: z.number(),
  volumeCents: z.number().describe('payments and surcharges paid out'),
  refundsCents: z.number(),
  chargebacksCents: z.number(),
  feesCents: z.number(),
  netCents: z.number(),
});

export const depositStatementEndpoint = endpoint({
  method: 'GET',
  path: '/deposits/statement',
  access: 'user',
  summary: "A month's statement per deposit account: volume, count, refunds, chargebacks, fees and net",
  query: z.object({ month }).strict(),
  response: z.object({
    month: z.string(),
    firmName: z.string(),
    accounts: z.array(statementAccountOut),
    totals: statementAccountOut.omit({ depositAccountId: true, name: true, kind: true }),
  }),
});

const workbook = z.unknown().describe(`the workbook (${XLSX_TYPE})`);

export const exportDepositXlsx = endpoint({
  method: 'GET',
  path: '/deposits/:id/export.xlsx',
  access: 'user',
  summary: "Export to Excel: one payout's lines",
  params: idParam,
  produces: [XLSX_TYPE],
  response: workbook,
});

export const exportDepositsMonthXlsx = endpoint({
  method: 'GET',
  path: '/deposits/export.xlsx',
  access: 'user',
  summary: "Export to Excel: every line of a month's payouts",
  query: z.object({ month }).strict(),
  produces: [XLSX_TYPE],
  response: workbook,
});
