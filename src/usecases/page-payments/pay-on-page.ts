import type { z } from 'zod';
import type { pagePaymentBody, receiptOut } from '../../contract/pay.ts';
import { pageAllocations, pageCharge } from '../../domain/page-payment.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../domain/errors.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake } from '../payments/charge-and-take.ts';
import { findPublicPage } from './find-public-page.ts';
import { lookUpInvoices } from './look-up-invoices.ts';

export type PagePaymentInput = z.infer<typeof pagePaymentBody>;
export type Receipt = z.infer<typeof receiptOut>;

/**
 * A payment on a public page. The lookup is repeated, so the payer can pay only invoices
 * of the client they proved, and no more than is still due on each. The surcharge is
 * the page's basis points of the receipt, rounded half up to the cent, on a credit card only.
 */
export async function payOnPage(
  db: Db,
  processor: Processor,
  slug: string,
  input: PagePaymentInput,
  now = new Date(),
): Promise<Receipt> {
  const page = await findPublicPage(db, slug);
  const found = await lookUpInvoices(db, page, input);
  const allocations = pageAllocations(page.account, input, found);
  // The card's funding decides the surcharge (SPEC §3.6): credit cards only.
  const source = await processor.describeToken(page.firmId, input.token);
  if (!source)
    throw new DomainError(
      'invalid_payment_token',
      'the payment token is unknown: enter the card or bank details again',
    );
  const { receiptCents, surchargeCents, amountCents } = pageCharge(
    page.account,
    allocations,
    page.surchargeBps,
    source,
  );
  const actor: Actor = { kind: 'system', id: null, label: `payment page /pay/${page.slug}` };
  const taken = await chargeAndTake(db, processor, page.firmId, actor, {
    token: input.token,
    idempotencyKey: `page:${page.id}:${tokenKey(input.token)}`,
    now,
    payment: {
      origin: 'payment_page',
      paymentPageId: page.id,
      account: page.account,
      amountCents,
      surchargeCents,
      payerName: input.payerName,
      payerEmail: input.payerEmail,
      invoiceNumbers: allocations.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
      allocations,
      clientNumber: found.clientNumber,
      matterNumber: found.matterNumber ?? undefined,
    },
  });
  return {
    paymentId: taken.payment.id,
    processorId: taken.payment.processorId,
    processedAt: taken.payment.processedAt,
    firmName: page.firmName,
    pageName: page.name,
    payerName: taken.payment.payerName,
    account: page.account,
    method: taken.charge.method,
    brand: taken.charge.brand,
    last4: taken.charge.last4,
    receiptCents,
    surchargeCents,
    amountCents,
    allocations,
  };
}
