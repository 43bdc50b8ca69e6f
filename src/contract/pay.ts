import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { account, method, positiveCents, processorToken, requiredText } from './fields.ts';
import { paymentOut } from './payments.ts';
import { allocationOut } from './records.ts';
import { payer } from './staff-payments.ts';

/**
 * What a payer's browser calls (SPEC §9): public, rate-limited per address, and each
 * answer holds only what the payer already proved they know (a page's slug, a link's
 * secret token, a client number with one of its invoice or matter numbers).
 */

const slugParam = z.object({ slug: z.string().max(100) });
const tokenParam = z.object({ token: z.string().max(200) });

export const lookupBody = z
  .object({
    clientNumber: requiredText(64),
    invoiceNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
  })
  .strict();

export const publicPageOut = z.object({
  firmName: z.string(),
  pageName: z.string(),
  slug: z.string(),
  account,
  surchargeBps: z.number(),
  enabled: z.boolean(),
});

export const openInvoiceOut = z.object({
  invoiceNumber: z.string(),
  matterNumber: z.string(),
  invoiceDate: z.string(),
  totalCents: z.number(),
  balanceCents: z.number(),
});

export const lookupOut = z.object({
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string().nullable(),
  matterDescription: z.string().nullable(),
  invoices: z.array(openInvoiceOut),
});

export const receiptOut = z.object({
  paymentId: z.string(),
  processorId: z.string(),
  processedAt: z.string(),
  firmName: z.string(),
  pageName: z.string(),
  payerName: z.string(),
  account,
  method,
  brand: z.string(),
  last4: z.string(),
  receiptCents: z.number().describe('what is applied to the invoices or held in trust'),
  surchargeCents: z.number(),
  amountCents: z.number().describe('what was charged: receipt plus surcharge'),
  allocations: z.array(allocationOut),
});

export const pagePaymentBody = lookupBody
  .extend({
    ...payer,
    token: processorToken,
    allocations: z
      .array(z.object({ invoiceNumber: requiredText(64), amountCents: positiveCents }).strict())
      .min(1)
      .max(50)
      .optional(),
    amountCents: positiveCents.optional(),
  })
  .strict();

/** What a payer sends to pay a link: who pays and the processor's token. */
export const linkPaymentBody = z.object({ ...payer, token: processorToken }).strict();

const linkPaymentOut = z.object({ payment: paymentOut, brand: z.string(), last4: z.string(), method });
export const paymentLinkPaidOut = linkPaymentOut.extend({
  postingRecordId: z.string().nullable(),
  allocations: z.array(allocationOut),
});
export const quickLinkPaidOut = linkPaymentOut.extend({ description: z.string() });

/** A link as its payer sees it: an expired or cancelled one is 410, never shown. */
const payableStatus = z.enum(['outstanding', 'paid']);

export const paymentLinkViewOut = z.object({
  firmName: z.string(),
  amountCents: z.number(),
  allocations: z.array(allocationOut),
  payerName: z.string().nullable(),
  status: payableStatus,
  expiresAt: z.string(),
});

export const quickLinkViewOut = z.object({
  firmName: z.string(),
  amountCents: z.number(),
  description: z.string(),
  payerName: z.string().nullable(),
  status: payableStatus,
  expiresAt: z.string(),
});

export const viewPaymentPage = endpoint({
  method: 'GET',
  path: '/pay/:slug',
  access: 'public',
  summary: 'A payment page: the firm, the page, its account and surcharge (a disabled page is 404)',
  params: slugParam,
  response: publicPageOut,
});

export const lookUpInvoices = endpoint({
  method: 'POST',
  path: '/pay/:slug/lookup',
  access: 'public',
  summary: "A client's open invoices, given the client number and one of its invoice or matter numbers",
  params: slugParam,
  body: lookupBody,
  response: lookupOut,
});

export const payOnPage = endpoint({
  method: 'POST',
  path: '/pay/:slug/payments',
  access: 'public',
  summary:
    'Pay on a payment page: invoices in full or in part (operating) or an amount for the matter (trust); a decline is 402 and makes nothing',
  params: slugParam,
  body: pagePaymentBody,
  status: 201,
  response: receiptOut,
});

export const viewPaymentLink = endpoint({
  method: 'GET',
  path: '/pay/link/:token',
  access: 'public',
  summary: 'A payment link from Make A Payment: the invoices and amount (expired or cancelled: 410)',
  params: tokenParam,
  response: paymentLinkViewOut,
});

export const payPaymentLink = endpoint({
  method: 'POST',
  path: '/pay/link/:token',
  access: 'public',
  summary: 'Pay a payment link once (origin connect, the chosen allocations); 410 once expired, 409 once paid',
  params: tokenParam,
  body: linkPaymentBody,
  status: 201,
  response: paymentLinkPaidOut,
});

export const viewQuickLink = endpoint({
  method: 'GET',
  path: '/pay/quick/:token',
  access: 'public',
  summary: 'A quick link (Send For Payment): amount and description (expired or cancelled: 410)',
  params: tokenParam,
  response: quickLinkViewOut,
});

export const payQuickLink = endpoint({
  method: 'POST',
  path: '/pay/quick/:token',
  access: 'public',
  summary: 'Pay a quick link once (origin quick_link); 410 once expired or cancelled, 409 once paid',
  params: tokenParam,
  body: linkPaymentBody,
  status: 201,
  response: quickLinkPaidOut,
});
