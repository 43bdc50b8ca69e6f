import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { sandboxBank, sandboxCard } from '../../contract/sandbox.ts';
import type { Db } from '../../db/connect.ts';
import { insertSandboxToken } from '../../db/sandbox.ts';
import { badRequest } from '../../domain/errors.ts';
import type { TokenFacts } from '../processor.ts';
import { luhnValid, routingNumberValid, TEST_BANK_ACCOUNTS, TEST_CARDS, TEST_ROUTING_NUMBER } from './test-numbers.ts';

export type TokenizeInput =
  ({ method: 'card' } & z.output<typeof sandboxCard>) | ({ method: 'echeck' } & z.output<typeof sandboxBank>);

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What the processor's browser script does: checks the card or bank details and answers
 * a token standing for them. Only the token's hash, the brand, the last 4 and the test
 * outcome are kept; the number and CVC are dropped here, and no message repeats them.
 */
export async function createSandboxToken(
  db: Db,
  input: TokenizeInput,
  now = new Date(),
): Promise<TokenFacts & { token: string }> {
  let facts: TokenFacts & { outcome: (typeof TEST_CARDS)[number]['outcome']; declineReason: string | null };
  if (input.method === 'card') {
    const digits = input.cardNumber.replace(/[\s-]/g, '');
    if (!luhnValid(digits)) throw badRequest('the card number is not valid: check the digits', { field: 'cardNumber' });
    const card = TEST_CARDS.find((c) => c.number === digits);
    if (!card)
      throw badRequest(
        'the sandbox accepts only its test card numbers (see the README); no real card is ever charged',
        { field: 'cardNumber' },
      );
    const expiry = input.expYear * 12 + (input.expMonth - 1);
    if (expiry < now.getUTCFullYear() * 12 + now.getUTCMonth())
      throw badRequest('the card has expired', { field: 'expYear' });
    const cvcLength = card.brand === 'amex' ? 4 : 3;
    if (input.cvc.length !== cvcLength)
      throw badRequest(`the security code must be ${cvcLength} digits for this card`, { field: 'cvc' });
    facts = {
      method: 'card',
      brand: card.brand,
      funding: card.funding,
      last4: digits.slice(-4),
      outcome: card.outcome,
      declineReason: card.declineReason ?? null,
    };
  } else {
    if (!routingNumberValid(input.routingNumber))
      throw badRequest('the routing number is not valid: check the digits', { field: 'routingNumber' });
    const account =
      input.routingNumber === TEST_ROUTING_NUMBER
        ? TEST_BANK_ACCOUNTS.find((a) => a.accountNumber === input.accountNumber)
        : undefined;
    if (!account)
      throw badRequest('the sandbox accepts only its test bank accounts (see the README)', { field: 'accountNumber' });
    facts = {
      method: 'echeck',
      brand: 'bank',
      funding: null,
      last4: input.accountNumber.slice(-4),
      outcome: account.outcome,
      declineReason: account.declineReason ?? null,
    };
  }
  const token = `sbx_tok_${randomBytes(32).toString('base64url')}`;
  await insertSandboxToken(db, {
    token_hash: tokenHash(token),
    method: facts.method,
    brand: facts.brand,
    last4: facts.last4,
    funding: facts.funding,
    outcome: facts.outcome,
    decline_reason: facts.declineReason,
  });
  return { token, brand: facts.brand, last4: facts.last4, method: facts.method, funding: facts.funding };
}
