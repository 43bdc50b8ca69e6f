import type { z } from 'zod';
import type { enterPaymentBody } from '../../contract/staff-payments.ts';
import type { Db } from '../../db/connect.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake } from '../payments/charge-and-take.ts';

export type EnterPaymentInput = z.infer<typeof enterPaymentBody>;

/**
 * Enter Payment, the staff virtual terminal: a card or bank account keyed in by staff
 * (tokenized in their browser like the payer's). Origin enter_payment: the firm enters
 * it in its MMS by hand, so it gets no posting record (SPEC §3.2).
 */
export async function enterPayment(
  db: Db,
  processor: Processor,
  firmId: string,
  actor: Actor,
  input: EnterPaymentInput,
) {
  const { token, ...payment } = input;
  const taken = await chargeAndTake(db, processor, firmId, actor, {
    token,
    idempotencyKey: `enter:${tokenKey(token)}`,
    payment: { origin: 'enter_payment', ...payment },
  });
  return { payment: taken.payment };
}
