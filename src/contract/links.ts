import { z } from 'zod';
import { LINK_STATUSES } from '../domain/links.ts';
import { endpoint } from './endpoint.ts';
import { account, depositAccountId, idParam, positiveCents, requiredText } from './fields.ts';
import { allocationOut } from './records.ts';
import { withAllocationChoice } from './staff-payments.ts';

/** Payment links and quick links (Send For Payment): the firm's view, never a link's token but once. */

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
export const paymentLinkOut = linkBase.extend({
  paymentId: z.string().nullable(),
  createdBy: z.string(),
  paidAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});

const payerPath = z.string().describe('the payer opens this path of the web app');

/** A payment link just made: its token is in this answer only. */
export const createdPaymentLinkOut = linkBase.extend({ token: z.string(), path: payerPath });

export const quickLinkOut = z.object({
  id: z.string(),
  amountCents: z.number(),
  description: z.string(),
  account,
  depositAccountId: z.string().describe('the deposit account its payment goes to'),
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

const limit = z.coerce.number().int().min(1).max(500).default(100);

export const createPaymentLink = endpoint({
  method: 'POST',
  path: '/payment-links',
  access: 'accountant',
  summary: 'Make A Payment: a link to pay the chosen invoices, valid 24 hours; its token is in this answer only',
  body: withAllocationChoice({ payerName: requiredText(200).optional(), payerEmail: z.email().max(320).optional() }),
  status: 201,
  response: createdPaymentLinkOut,
});

export const listPaymentLinks = endpoint({
  method: 'GET',
  path: '/payment-links',
  access: 'user',
  summary: "The firm's payment links (the links sent), newest first, optionally of one status, never their tokens",
  query: z.object({ status: z.enum(LINK_STATUSES).optional(), limit }),
  response: z.object({ items: z.array(paymentLinkOut) }),
});

export const cancelPaymentLink = endpoint({
  method: 'POST',
  path: '/payment-links/:id/cancel',
  access: 'accountant',
  summary: 'Cancel an outstanding payment link: the payer is then told it was cancelled; a paid link is refused',
  params: idParam,
  body: z.object({}).strict().optional(),
  response: paymentLinkOut,
});

export const resendLinkBody = z
  .object({
    to: z.email().max(320).optional().describe("the payer's email given with the link when not given"),
  })
  .strict();

export const newQuickLinkBody = z
  .object({
    amountCents: positiveCents,
    description: requiredText(500),
    account: account.optional().describe('operating when neither it nor depositAccountId is given'),
    depositAccountId: depositAccountId.optional(),
    payerName: requiredText(200).optional(),
    payerEmail: z.email().max(320).optional(),
    expiresInDays: z.number().int().min(1).max(90).optional().describe('30 when not given'),
  })
  .strict();

export const createQuickLink = endpoint({
  method: 'POST',
  path: '/quick-links',
  access: 'accountant',
  summary: 'Send For Payment: a link for an amount and description; its token is in this answer only',
  body: newQuickLinkBody,
  status: 201,
  response: createdQuickLinkOut,
});

const listQuickLinksQuery = z.object({ status: z.enum(LINK_STATUSES).optional(), limit });

export const listQuickLinks = endpoint({
  method: 'GET',
  path: '/quick-links',
  access: 'user',
  summary: "The firm's quick links, newest first, never their tokens",
  query: listQuickLinksQuery,
  response: z.object({ items: z.array(quickLinkOut) }),
});

export const cancelQuickLink = endpoint({
  method: 'POST',
  path: '/quick-links/:id/cancel',
  access: 'accountant',
  summary: 'Cancel an outstanding quick link',
  params: idParam,
  body: z.object({}).strict().optional(),
  response: quickLinkOut,
});

export const emailLinkBody = z
  .object({
    token: z
      .string()
      .min(1)
      .max(200)
      .describe("the link's token, from the answer that made it (the firm keeps only its hash)"),
    to: z.email().max(320).optional().describe("the payer's email given with the link when not given"),
  })
  .strict();

export const emailedLinkOut = z.object({
  id: z.string().describe('the queued message'),
  to: z.string(),
});

export const emailPaymentLink = endpoint({
  method: 'POST',
  path: '/payment-links/:id/email',
  access: 'accountant',
  summary: 'Send an outstanding payment link to the payer by email (queued; sent within a minute)',
  params: idParam,
  body: emailLinkBody,
  response: emailedLinkOut,
});

export const emailQuickLink = endpoint({
  method: 'POST',
  path: '/quick-links/:id/email',
  access: 'accountant',
  summary: 'Send an outstanding quick link to the payer by email (queued; sent within a minute)',
  params: idParam,
  body: emailLinkBody,
  response: emailedLinkOut,
});

export const resendPaymentLink = endpoint({
  method: 'POST',
  path: '/payment-links/:id/resend',
  access: 'accountant',
  summary:
    'Send an outstanding payment link to the payer again (queued): it gets a new address and the old one stops working; send an Idempotency-Key so a repeated request sends once',
  params: idParam,
  body: resendLinkBody.optional(),
  response: emailedLinkOut,
});

export const resendQuickLink = endpoint({
  method: 'POST',
  path: '/quick-links/:id/resend',
  access: 'accountant',
  summary:
    'Send an outstanding quick link to the payer again (queued): it gets a new address and the old one stops working; send an Idempotency-Key so a repeated request sends once',
  params: idParam,
  body: resendLinkBody.optional(),
  response: emailedLinkOut,
});
