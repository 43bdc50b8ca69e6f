import type { z } from 'zod';
import type { pagePaymentBody, receiptOut } from '../../contract/pay.ts';
import { addCents, amountBoundProblem, exactSum, isBoundedAmount, safeTotal } from '../../domain/money.ts';
import { pageSurchargeCents } from '../../domain/surcharge.ts';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { badRequest, DomainError } from '../../domain/errors.ts';
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
 * the page's basis points of the receipt, rounded half up to the cent, on a credit card
 * only.
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
  let allocations: Allocation[];
  if (page.account === 'trust') {
    if (input.allocations !== undefined || input.amountCents === undefined)
      throw badRequest('a trust page takes amountCents, not allocations', { field: 'amountCents' });
    allocations = [
      {
        invoiceNumber: null,
        clientNumber: found.clientNumber,
        matterNumber: found.matterNumber,
        amountCents: input.amountCents,
      },
    ];
  } else {
    if (input.amountCents !== undefined || !input.allocations?.length)
      throw badRequest('choose at least one invoice and the amount to pay on it', { field: 'allocations' });
    const open = new Map(found.invoices.map((invoice) => [invoice.invoiceNumber, invoice]));
    const seen = new Set<string>();
    allocations = input.allocations.map((chosen, index) => {
      const number = chosen.invoiceNumber.trim();
      const invoice = open.get(number);
      if (!invoice)
        throw badRequest(`invoice ${number} is not one of this client's open invoices`, {
          field: `allocations.${index}.invoiceNumber`,
        });
      if (seen.has(number))
        throw badRequest(`invoice ${number} is chosen twice`, { field: `allocations.${index}.invoiceNumber` });
      seen.add(number);
      if (chosen.amountCents > invoice.balanceCents) {
        throw badRequest(`the amount for invoice ${number} is more than the ${invoice.balanceCents} cents due`, {
          field: `allocations.${index}.amountCents`,
        });
      }
      return {
        invoiceNumber: number,
        clientNumber: found.clientNumber,
        matterNumber: invoice.matterNumber,
        amountCents: chosen.amountCents,
      };
    });
  }
  const field = page.account === 'trust' ? 'amountCents' : 'allocations';
  // Checked before the charge: what is charged (receipt and surcharge) is one payment, bounded like any other.
  const receiptCents = safeTotal(exactSum(allocations.map((a) => a.amountCents)));
  if (receiptCents === null || !isBoundedAmount(receiptCents))
    throw badRequest(amountBoundProblem('the receipt'), { field });
  // The card's funding decides the surcharge (SPEC §3.6): credit cards only.
  const source = await processor.describeToken(input.token);
  if (!source)
    throw new DomainError(
      'invalid_payment_token',
      'the payment token is unknown: enter the card or bank details again',
    );
  const surcharge = pageSurchargeCents(receiptCents, page.surchargeBps, source);
  const amountCents = addCents(receiptCents, surcharge);
  if (!isBoundedAmount(amountCents)) throw badRequest(amountBoundProblem('the payment with its surcharge'), { field });
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
      surchargeCents: surcharge,
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
    surchargeCents: surcharge,
    amountCents,
    allocations,
  };
}
