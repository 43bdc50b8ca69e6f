import { soleClient } from '../../domain/links.ts';
import { sumCents } from '../../domain/money.ts';
import type { z } from 'zod';
import type {
  AllocationChoice,
  makeConnectPayment as makeConnectPaymentEndpoint,
} from '../../contract/staff-payments.ts';
import type { Db } from '../../db/connect.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake } from '../payments/charge-and-take.ts';
import { planAllocations } from './plan-allocations.ts';

export type ConnectPaymentInput = AllocationChoice &
  Pick<z.infer<typeof makeConnectPaymentEndpoint.body>, 'token' | 'payerName' | 'payerEmail'>;

/**
 * Make A Payment in Connect: the invoices staff chose, split by hand or auto-applied,
 * charged to the card or bank account the payer gave, origin connect. The allocations
 * become the posting record's, so it goes to pending as chosen.
 */
export async function makeConnectPayment(
  db: Db,
  processor: Processor,
  firmId: string,
  actor: Actor,
  input: ConnectPaymentInput,
) {
  const allocations = await planAllocations(db, firmId, input);
  const taken = await chargeAndTake(db, processor, firmId, actor, {
    token: input.token,
    idempotencyKey: `connect:${tokenKey(input.token)}`,
    payment: {
      origin: 'connect',
      account: 'operating',
      amountCents: sumCents(allocations.map((a) => a.amountCents)),
      payerName: input.payerName,
      payerEmail: input.payerEmail,
      invoiceNumbers: allocations.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
      allocations,
      clientNumber: soleClient(allocations) ?? undefined,
    },
  });
  return { payment: taken.payment, postingRecord: taken.postingRecord };
}
