import { z } from 'zod';
import type { AllocationChoice } from '../domain/allocation-choice.ts';
import type { Cents } from '../domain/money.ts';
import { endpoint } from './endpoint.ts';
import { account, depositAccountId, positiveCents, processorToken, requiredText } from './fields.ts';
import { paymentOut } from './payments.ts';
import { postingRecord } from './records.ts';

/** Make A Payment and Enter Payment: staff taking a payment. */

/** Who pays, when staff take a payment. */
export const payer = { payerName: requiredText(200), payerEmail: z.email().max(320).optional() };
const byHand = z.object({ invoiceNumber: requiredText(64), amountCents: positiveCents }).strict();

/** Make A Payment's invoice choice: by hand, or an amount auto-applied oldest first. */
export function withAllocationChoice<T extends z.ZodRawShape>(shape: T) {
  return z.union([
    z.object({ ...shape, allocations: z.array(byHand).min(1).max(50) }).strict(),
    z
      .object({
        ...shape,
        autoApply: z.literal(true),
        invoiceNumbers: z.array(requiredText(64)).min(1).max(50),
        amountCents: positiveCents,
      })
      .strict(),
  ]);
}

/** The invoice choice of a Make A Payment body, as planAllocations takes it. */
export type { AllocationChoice };

export function choiceOf(
  body:
    { allocations: { invoiceNumber: string; amountCents: Cents }[] } | { invoiceNumbers: string[]; amountCents: Cents },
): AllocationChoice {
  return 'allocations' in body
    ? { allocations: body.allocations }
    : { autoApply: { invoiceNumbers: body.invoiceNumbers, amountCents: body.amountCents } };
}

/** Make A Payment's answer: the payment and the posting record it made. */
export const connectPaymentOut = z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() });

export const makeConnectPayment = endpoint({
  method: 'POST',
  path: '/connect-payments',
  access: 'accountant',
  summary:
    'Make A Payment: pay chosen invoices by card or eCheck now (origin connect); a split that would not post cleanly is 422 and charges nothing',
  body: withAllocationChoice({ ...payer, token: processorToken }),
  status: 201,
  response: connectPaymentOut,
});

export const enterPaymentBody = z
  .object({
    ...payer,
    token: processorToken,
    amountCents: positiveCents,
    account,
    depositAccountId: depositAccountId.optional(),
    invoiceNumbers: z.array(requiredText(64)).max(50).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
  })
  .strict();

export const enterPayment = endpoint({
  method: 'POST',
  path: '/enter-payment',
  access: 'accountant',
  summary:
    'Enter Payment (virtual terminal): charge a card or bank account staff keyed in; origin enter_payment, no posting record',
  body: enterPaymentBody,
  status: 201,
  response: z.object({ payment: paymentOut }),
});
