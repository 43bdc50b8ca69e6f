import { z } from 'zod';
import { ACCOUNTS, ORIGINS, METHODS } from '../domain/types.ts';

// Control characters (other than none at all) are refused in every text a client sends:
// they would end up in the MMS file, where the format keeps text exactly.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const text = (max: number) =>
  z.string().max(max).refine((value) => !CONTROL.test(value), { message: 'must not contain control characters' });

export const requiredText = (max: number) => text(max).refine((value) => value.trim().length > 0, { message: 'must not be empty' });

/** Money in cents: a whole, safe number. Fractions, strings and floats are refused. */
export const cents = z.number().int().refine(Number.isSafeInteger, { message: 'must be a safe integer number of cents' });
export const positiveCents = cents.refine((v) => v > 0, { message: 'must be more than 0 cents' });

export const account = z.enum(ACCOUNTS);
export const origin = z.enum(ORIGINS);
export const method = z.enum(METHODS);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine(
  (value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
  { message: 'is not a real calendar date' },
);

export const idParam = z.object({ id: z.string().max(100) });

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** An allocation as a client sends it: an invoice (operating) or a client and matter (trust). */
export const allocationIn = z
  .object({
    invoiceNumber: requiredText(64).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
    amountCents: positiveCents,
  })
  .strict()
  .refine((a) => a.invoiceNumber !== undefined || (a.clientNumber !== undefined && a.matterNumber !== undefined), {
    message: 'needs an invoiceNumber, or a clientNumber and a matterNumber',
  })
  .transform((a) => ({
    invoiceNumber: a.invoiceNumber?.trim() ?? null,
    clientNumber: a.clientNumber?.trim() ?? null,
    matterNumber: a.matterNumber?.trim() ?? null,
    amountCents: a.amountCents,
  }));

/** The filters of every list (query string). */
export const listFilters = z.object({
  q: text(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  minCents: z.coerce.number().int().refine(Number.isSafeInteger).optional(),
  maxCents: z.coerce.number().int().refine(Number.isSafeInteger).optional(),
  account: account.optional(),
  origin: origin.optional(),
});

/** A payment as POST /payments and the processor's payment.approved event carry it. */
export const paymentIn = z
  .object({
    processorId: requiredText(100),
    origin,
    paymentPageId: z.string().max(100).optional(),
    amountCents: positiveCents,
    surchargeCents: cents.refine((v) => v >= 0, { message: 'must not be negative' }).optional(),
    method,
    cardBrand: text(30).optional(),
    last4: z.string().regex(/^\d{4}$/, 'must be the last 4 digits').optional(),
    account,
    payerName: requiredText(200),
    payerEmail: z.email().max(320).optional(),
    invoiceNumbers: z.array(requiredText(64)).max(50).optional(),
    allocations: z.array(allocationIn).min(1).max(50).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
    processedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
