import { z } from 'zod';
import { PAGE_SLUG, RESERVED_SLUGS } from '../domain/payment-pages.ts';
import { MAX_SURCHARGE_BPS } from '../domain/surcharge.ts';
import { endpoint } from './endpoint.ts';
import { depositAccountRef } from './deposit-accounts.ts';
import { account, depositAccountId, idParam, requiredText } from './fields.ts';

/** Payment pages (SPEC §3.3): the firm's public pages at /pay/{slug}, as the admin sets them up. */

const slug = z
  .string()
  .regex(PAGE_SLUG, 'must be 1–63 lowercase letters, digits and hyphens, starting with a letter or digit')
  .refine((value) => !RESERVED_SLUGS.includes(value), { error: 'is reserved for payment links; choose another' });
const surchargeBps = z
  .number()
  .int()
  .min(0)
  .max(MAX_SURCHARGE_BPS, 'must be at most 300 (3%): card networks cap a credit card surcharge there')
  .describe('surcharge in basis points (300 is 3%), charged on credit cards only: never on debit, prepaid or eCheck');

export const pageOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  account,
  ...depositAccountRef,
  createPostingRecord: z.boolean(),
  surchargeBps: z.number(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The page's deposit account sets its account: give either, or both when they agree. */
const pageDepositAccountId = depositAccountId.describe(
  "the deposit account the page's payments go to; its kind is the page's account. Absent: the firm's default of `account`",
);
const oneAccountNamed = {
  error: 'give account or depositAccountId',
  path: ['account'],
};

export const createPageBody = z
  .object({
    name: requiredText(200),
    slug,
    account: account.optional(),
    depositAccountId: pageDepositAccountId.optional(),
    createPostingRecord: z.boolean(),
    surchargeBps: surchargeBps.optional(),
  })
  .strict()
  .refine((body) => body.account !== undefined || body.depositAccountId !== undefined, oneAccountNamed);
export const updatePageBody = z
  .object({
    name: requiredText(200),
    slug,
    account,
    depositAccountId: pageDepositAccountId,
    createPostingRecord: z.boolean(),
    surchargeBps,
    enabled: z.boolean(),
  })
  .partial()
  .strict();

export const listPaymentPagesEndpoint = endpoint({
  method: 'GET',
  path: '/payment-pages',
  access: 'user',
  summary: "The firm's payment pages",
  response: z.object({ items: z.array(pageOut) }),
});

export const createPaymentPageEndpoint = endpoint({
  method: 'POST',
  path: '/payment-pages',
  access: 'admin',
  summary: 'Create a payment page; a slug taken by any firm is 409',
  body: createPageBody,
  status: 201,
  response: pageOut,
});

export const updatePaymentPageEndpoint = endpoint({
  method: 'PATCH',
  path: '/payment-pages/:id',
  access: 'admin',
  summary: 'Change a payment page; "create a posting record" applies to payments taken from now on',
  params: idParam,
  body: updatePageBody,
  response: pageOut,
});
