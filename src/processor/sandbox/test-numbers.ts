import type { Selectable } from 'kysely';
import type { SandboxTokensTable } from '../../db/schema.ts';
import type { CardFunding } from '../../domain/types.ts';

export type SandboxOutcome = Selectable<SandboxTokensTable>['outcome'];

/**
 * The sandbox's documented test cards and bank accounts (README, "Sandbox processor").
 * Only these are accepted: a real card number typed into the sandbox is refused, never
 * charged. The numbers live here and in tests only; nothing stores or logs them.
 */
export interface TestCard {
  number: string;
  brand: string;
  /** Whether a surcharge may be charged on it (SPEC §3.6): credit cards only. */
  funding: CardFunding;
  outcome: SandboxOutcome;
  declineReason?: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', funding: 'credit', outcome: 'approve' },
  { number: '5555555555554444', brand: 'mastercard', funding: 'credit', outcome: 'approve' },
  { number: '378282246310005', brand: 'amex', funding: 'credit', outcome: 'approve' },
  { number: '6011111111111117', brand: 'discover', funding: 'credit', outcome: 'approve' },
  { number: '4000000000000002', brand: 'visa', funding: 'credit', outcome: 'decline', declineReason: 'card declined' },
  {
    number: '4000000000009995',
    brand: 'visa',
    funding: 'credit',
    outcome: 'decline',
    declineReason: 'insufficient funds',
  },
  { number: '4000000000000069', brand: 'visa', funding: 'credit', outcome: 'decline', declineReason: 'expired card' },
  { number: '4000000000000259', brand: 'visa', funding: 'credit', outcome: 'approve_then_chargeback' },
  { number: '4000056655665556', brand: 'visa', funding: 'debit', outcome: 'approve' },
  { number: '5200828282828210', brand: 'mastercard', funding: 'debit', outcome: 'approve' },
  { number: '5105105105105100', brand: 'mastercard', funding: 'prepaid', outcome: 'approve' },
];

/** How many leading digits of a card number name its issuer (its BIN) in the sandbox. */
export const BIN_LENGTH = 6;

/**
 * The sandbox's BIN table: a card's brand and funding from its first six digits, as a
 * real processor's script tells a page while the number is still being typed, so the
 * payer sees whether a surcharge applies before paying. null: no test card starts so.
 */
export function binFacts(digits: string): { brand: string; funding: CardFunding } | null {
  if (!/^\d+$/.test(digits) || digits.length < BIN_LENGTH) return null;
  const card = TEST_CARDS.find((c) => c.number.startsWith(digits.slice(0, BIN_LENGTH)));
  return card ? { brand: card.brand, funding: card.funding } : null;
}

export const TEST_ROUTING_NUMBER = '110000000';

export interface TestBankAccount {
  accountNumber: string;
  outcome: SandboxOutcome;
  declineReason?: string;
}

export const TEST_BANK_ACCOUNTS: readonly TestBankAccount[] = [
  { accountNumber: '000123456789', outcome: 'approve' },
  { accountNumber: '000111111116', outcome: 'approve_then_return' },
  { accountNumber: '000111111113', outcome: 'decline', declineReason: 'account closed' },
];

/** The Luhn check digit test every card number passes. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ABA routing numbers: 9 digits whose 3-7-1 weighted sum is a multiple of 10. */
export function routingNumberValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  return sum % 10 === 0;
}
