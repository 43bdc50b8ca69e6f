import { z } from 'zod';
import { CARD_FUNDINGS, METHODS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';

/**
 * The sandbox processor's tokenizer, standing in for the script a real processor serves
 * to the browser. The messages say what is wrong, never the value: a card number must not
 * come back in an error, where a proxy or a browser extension might log it.
 */

export const sandboxCard = z
  .object({
    cardNumber: z.string().regex(/^[\d -]{12,23}$/, 'must be the card number: 12 to 19 digits, spaces allowed'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be the 3 or 4 digit security code'),
  })
  .strict();

export const sandboxBank = z
  .object({
    routingNumber: z.string().regex(/^\d{9}$/, 'must be the 9 digit routing number'),
    accountNumber: z.string().regex(/^\d{4,17}$/, 'must be the account number: 4 to 17 digits'),
  })
  .strict();

/** What the tokenizer answers: the only trace of the card or account paybridge keeps. */
export const sandboxTokenOut = z.object({
  token: z.string(),
  brand: z.string(),
  last4: z.string(),
  method: z.enum(METHODS),
  funding: z.enum(CARD_FUNDINGS).nullable().describe("a card's funding; null for a bank account"),
});

export const binParam = z.object({
  bin: z.string().regex(/^\d{6}$/, "must be the card number's first 6 digits"),
});

export const binOut = z.object({
  brand: z.string(),
  funding: z.enum(CARD_FUNDINGS),
});

export const getSandboxBin = endpoint({
  method: 'GET',
  path: '/sandbox/bins/:bin',
  access: 'public',
  summary:
    "Sandbox processor: a card's brand and funding from its first 6 digits, so a payment page can say whether a surcharge applies while the number is typed (404 for a BIN no test card has)",
  params: binParam,
  response: binOut,
});

export const postSandboxToken = endpoint({
  method: 'POST',
  path: '/sandbox/tokens',
  access: 'public',
  summary: 'Sandbox processor: tokenize a test card or bank account (see the README for the test numbers)',
  body: z.union([sandboxCard, sandboxBank]),
  status: 201,
  response: sandboxTokenOut,
});
