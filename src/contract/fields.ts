import { z } from 'zod';
import type { Assert, Same } from './same.ts';
import {
  DATE_RANGE_PROBLEM,
  INSTANT_RANGE_PROBLEM,
  isDateInRange,
  isInstantInRange,
  textProblem,
} from '../domain/bounds.ts';
import { amountBoundProblem, assertCents, MAX_AMOUNT_CENTS } from '../domain/money.ts';
import { LIST_SORTS, type ListFilters } from '../domain/paging.ts';
import { ACCOUNTS, AGENT_SINKS, AGENT_SOURCES, CARD_FUNDINGS, ORIGINS, METHODS } from '../domain/types.ts';

/**
 * Text a client sends (SPEC §2): no control characters, unpaired surrogates or U+2028/
 * U+2029 (src/domain/bounds.ts says why). Each problem is its own check, so the answer
 * names the field and says which.
 */
function checkedText(schema: z.ZodString, options: { lineBreaks?: boolean } = {}) {
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, options);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const text = (max: number) => checkedText(z.string().max(max));

export const requiredText = (max: number) =>
  text(max).refine((value) => value.trim().length > 0, { error: 'must not be empty' });

/** A memo (the A/R message): the one text that may keep line breaks, LF or CRLF. */
export const memoText = (max: number) => checkedText(z.string().max(max), { lineBreaks: true });

/**
 * Money in cents: a whole number within MAX_AMOUNT_CENTS of zero (SPEC §2), so no sum
 * paybridge makes of them can leave the safe-integer range. Fractions, strings and
 * floats are refused.
 */
/** A whole number of cents within MAX_AMOUNT_CENTS, as a plain number (no transform). */
const boundedCents = z
  .number()
  .int()
  .refine((v) => Math.abs(v) <= MAX_AMOUNT_CENTS, { error: amountBoundProblem('the amount') });

/*
 * The transform is where a request's amount becomes the domain's Cents, through its guard.
 * A request schema's transform leaves the OpenAPI document as it was, except that zod drops
 * the `default` of an array whose items transform: the agent's sync keeps plain numbers
 * (syncedCents) for that reason, and goes to the mirror's integer columns as such.
 */
export const cents = boundedCents.transform((v) => assertCents(v));
export const positiveCents = cents.refine((v) => v > 0, { error: 'must be more than 0 cents' });
export const nonNegativeCents = cents.refine((v) => v >= 0, { error: 'must not be negative' });
/** nonNegativeCents as a plain number, for the agent's sync (see above). */
export const syncedCents = boundedCents.refine((v) => v >= 0, { error: 'must not be negative' });

/** Cents in a query string (a list filter): the same bound, from text. */
export const centsParam = z.coerce
  .number<number>()
  .int()
  .refine((v) => Math.abs(v) <= MAX_AMOUNT_CENTS, { error: amountBoundProblem('the amount') })
  .transform((v) => assertCents(v));

export const account = z.enum(ACCOUNTS);
/** The optional choice of a deposit account in a request (issue 13): absent, the firm's default of `account`. */
export const depositAccountId = text(100).describe(
  "one of the firm's deposit accounts, of the kind `account` says; absent: the firm's default of that kind",
);
export const origin = z.enum(ORIGINS);
export const method = z.enum(METHODS);

/** A calendar date as YYYY-MM-DD, in the years 1900 to 2999. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    { error: 'is not a real calendar date' },
  )
  .refine(isDateInRange, { error: DATE_RANGE_PROBLEM });

/** An instant as an ISO 8601 timestamp with its offset, in the years 1900 to 2999 in UTC. */
export const isoInstant = z.iso
  .datetime({ offset: true })
  .refine((value) => isInstantInRange(new Date(value)), { error: INSTANT_RANGE_PROBLEM });

export const idParam = z.object({ id: z.string().max(100) });

/** The processor's token for a card or bank account, made in the browser (never the number itself). */
export const processorToken = text(200)
  .min(1)
  .describe("the processor's token for the card or bank account, made in the browser");

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
    error: 'needs an invoiceNumber, or a clientNumber and a matterNumber',
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
  minCents: centsParam.optional(),
  maxCents: centsParam.optional(),
  account: account.optional(),
  origin: origin.optional(),
});

/** A list's order (issue 16): see LIST_SORTS. */
export const listSortParam = z
  .enum(LIST_SORTS)
  .default('desc')
  .describe(
    'date, amount, payer or status, ascending; with a leading "-" descending (-amount: largest first). Ties go by date, then id. asc and desc are the date orders (desc, newest first, is the default). A cursor pages only the order that gave it.',
  );

/** The list filters' schema is the domain's ListFilters, which the paging rules take. */
export type _ListFiltersAreTheDomains = Assert<Same<z.output<typeof listFilters>, ListFilters>>;

/**
 * A card brand's name ("visa", "American Express", "Diners Club"): letters and a few
 * separators, never a digit, so a card number sent in its place is refused, not stored.
 */
const cardBrand = text(30)
  .regex(/^[A-Za-z][A-Za-z .&'-]*$/, 'must be the name of a card brand (letters only, no digits)')
  .describe('the card brand by name, e.g. visa; a card number is refused');

/** A payment as POST /payments and the processor's payment.approved event carry it. */
export const paymentIn = z
  .object({
    processorId: requiredText(100),
    origin,
    paymentPageId: text(100).optional(),
    amountCents: positiveCents,
    surchargeCents: nonNegativeCents.optional(),
    method,
    cardBrand: cardBrand.optional(),
    cardFunding: z
      .enum(CARD_FUNDINGS)
      .optional()
      .describe("a card's funding as the processor reports it: a surcharge is allowed on credit only"),
    last4: z
      .string()
      .regex(/^\d{4}$/, 'must be the last 4 digits')
      .optional(),
    account,
    depositAccountId: depositAccountId.optional(),
    payerName: requiredText(200),
    payerEmail: z.email().max(320).optional(),
    invoiceNumbers: z.array(requiredText(64)).max(50).optional(),
    allocations: z.array(allocationIn).min(1).max(50).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
    processedAt: isoInstant,
  })
  .strict();

/**
 * What an agent says of itself on every request (SPEC §5.2), read for Connect status. Each
 * header is optional, and one that is not as described is ignored, never refused: an
 * agent older or newer than the server keeps working.
 */
const agentText = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^[\x20-\x7e]+$/)
    .transform((value) => value.slice(0, max))
    .nullable()
    .catch(null);
const agentPollSeconds = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(86_400))
  .nullable()
  .catch(null);

export const agentHeaders = z.object({
  'x-paybridge-agent-version': agentText(64).optional(),
  'x-paybridge-agent-host': agentText(255).optional(),
  'x-paybridge-agent-source': z.enum(AGENT_SOURCES).nullable().catch(null).optional(),
  'x-paybridge-agent-sink': z.enum(AGENT_SINKS).nullable().catch(null).optional(),
  'x-paybridge-agent-poll-seconds': agentPollSeconds.optional(),
});

/** The same headers as the OpenAPI document shows them on every agent route (any string passes; see agentHeaders). */
export const agentHeadersDoc = z.looseObject({
  'x-paybridge-agent-version': z
    .string()
    .optional()
    .describe("the agent's version; printable ASCII, the first 64 characters kept"),
  'x-paybridge-agent-host': z
    .string()
    .optional()
    .describe('the name of the machine it runs on; printable ASCII, the first 255 characters kept'),
  'x-paybridge-agent-source': z
    .string()
    .optional()
    .describe(`where it reads billing data from: ${AGENT_SOURCES.join(' | ')}`),
  'x-paybridge-agent-sink': z
    .string()
    .optional()
    .describe(`where it delivers batches: ${AGENT_SINKS.join(' | ')}`),
  'x-paybridge-agent-poll-seconds': z
    .string()
    .optional()
    .describe('how often it looks for batches without a long-poll, in seconds: 1 to 86400'),
});
