import type { z } from 'zod';
import type { linkPaymentBody, paymentLinkPaidOut, quickLinkPaidOut } from '../../contract/pay.ts';
import {
  isLinkToken,
  leaseUntil,
  linkNotFound,
  notPayable,
  shownStatus,
  storedAllocations,
  type LinkKind,
} from '../../domain/links.ts';
import type { Db } from '../../db/connect.ts';
import { leaseLink, markLinkPaid, releaseLink, selectLinkByToken, type LinkViewRow } from '../../db/links.ts';
import { writeAudit } from '../../db/audit.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake, type PaymentIntent } from '../payments/charge-and-take.ts';
import type { TakePaymentResult } from '../payments/take-payment.ts';
import type { ChargeResult } from '../../processor/processor.ts';
import { linkAudit } from './link-audit.ts';
import { hashLinkToken } from './link-token.ts';
import { LINK_NOUN } from './link-view.ts';

export type LinkPaymentInput = z.infer<typeof linkPaymentBody>;

interface PaidAnswers {
  payment: z.infer<typeof paymentLinkPaidOut>;
  quick: z.infer<typeof quickLinkPaidOut>;
}

interface PayKind<K extends LinkKind> {
  /** Keys the charge to the link and the payer's token: the same attempt never charges twice. */
  idempotencyPrefix: string;
  /** What the link pays: a payment link its allocations (origin connect), a quick link its amount (origin quick_link). */
  intent: (link: LinkViewRow, input: LinkPaymentInput) => PaymentIntent;
  answer: (link: LinkViewRow, taken: TakePaymentResult & { charge: ChargeResult }) => PaidAnswers[K];
}

const card = (charge: ChargeResult) => ({ brand: charge.brand, last4: charge.last4, method: charge.method });

const PAY_KINDS: { [K in LinkKind]: PayKind<K> } = {
  payment: {
    idempotencyPrefix: 'link',
    intent: (link, input) => {
      const allocations = storedAllocations(link.allocations);
      return {
        origin: 'connect',
        account: 'operating',
        depositAccountId: link.deposit_account_id,
        amountCents: link.amount_cents,
        payerName: input.payerName,
        // The receipt goes where the payer said, else where the firm sent the link.
        payerEmail: input.payerEmail ?? link.payer_email ?? undefined,
        invoiceNumbers: allocations.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
        allocations,
        clientNumber: link.client_number ?? undefined,
      };
    },
    answer: (link, taken) => ({
      payment: taken.payment,
      postingRecordId: taken.postingRecord?.id ?? null,
      ...card(taken.charge),
      allocations: storedAllocations(link.allocations),
    }),
  },
  quick: {
    idempotencyPrefix: 'quick',
    intent: (link, input) => ({
      origin: 'quick_link',
      account: link.account,
      depositAccountId: link.deposit_account_id,
      amountCents: link.amount_cents,
      payerName: input.payerName,
      // The receipt goes where the payer said, else where the firm sent the link.
      payerEmail: input.payerEmail ?? link.payer_email ?? undefined,
    }),
    answer: (link, taken) => ({ payment: taken.payment, description: link.description ?? '', ...card(taken.charge) }),
  },
};

/**
 * Pays a link once. The link is leased for the attempt (so a second card cannot pay it
 * at the same time), marked paid in the payment's own transaction, and released if the
 * charge is declined or the payment cannot be taken. A payment link pays the
 * allocations staff chose (origin connect, carried into the posting record); a quick
 * link its amount (origin quick_link, no posting record).
 */
export async function payLink<K extends LinkKind>(
  db: Db,
  processor: Processor,
  kind: K,
  linkToken: string,
  input: LinkPaymentInput,
  now = new Date(),
): Promise<PaidAnswers[K]> {
  if (!isLinkToken(linkToken)) throw linkNotFound();
  const hash = hashLinkToken(linkToken);
  const link = await leaseLink(db, kind, hash, now, leaseUntil(now));
  if (!link) {
    const row = await selectLinkByToken(db, kind, hash);
    if (!row) throw linkNotFound();
    throw notPayable(shownStatus(row.status, row.expires_at, now));
  }
  const how: PayKind<K> = PAY_KINDS[kind];
  const actor: Actor = { kind: 'system', id: null, label: LINK_NOUN[kind] };
  try {
    const taken = await chargeAndTake(db, processor, link.firm_id, actor, {
      token: input.token,
      idempotencyKey: `${how.idempotencyPrefix}:${link.id}:${tokenKey(input.token)}`,
      now,
      payment: how.intent(link, input),
      alsoInTransaction: async (tx, result) => {
        await markLinkPaid(tx, link.firm_id, link.id, result.payment.id, now);
        await writeAudit(tx, link.firm_id, actor, [linkAudit(kind, 'paid', link.id, { paymentId: result.payment.id })]);
      },
    });
    return how.answer(link, taken);
  } catch (error) {
    await releaseLink(db, link.firm_id, link.id);
    throw error;
  }
}
