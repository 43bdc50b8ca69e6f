import { DomainError, badRequest } from './errors.ts';
import { subtractCents, ZERO_CENTS, type Cents } from './money.ts';
import type { RecordTerms } from './reconcile.ts';
import { newRecordTerms } from './terms.ts';
import { surchargeProblem } from './surcharge.ts';
import type { Account, Allocation, CardFunding, Method, Origin } from './types.ts';

/**
 * Taking a payment in (SPEC §3.1), whatever its origin: what it says of itself is checked
 * before anything is read, and becomes the terms its posting record is classified with.
 */

/** What intake decides a payment by. */
export interface PaymentTerms {
  origin: Origin;
  paymentPageId?: string | undefined;
  amountCents: Cents;
  surchargeCents?: Cents | undefined;
  method: Method;
  cardFunding?: CardFunding | undefined;
  account: Account;
  payerName: string;
  invoiceNumbers?: readonly string[] | undefined;
  allocations?: Allocation[] | undefined;
  clientNumber?: string | undefined;
  matterNumber?: string | undefined;
}

/** A payment's terms as intake keeps them: checked and trimmed, with the terms of the record it may make. */
export interface Intake {
  surchargeCents: Cents;
  payerName: string;
  invoiceNumbers: string[];
  /** The receipt is the amount less the surcharge: the surcharge is the firm's fee, not the client's money. */
  terms: RecordTerms;
}

/**
 * Checks what a payment says of itself: a surcharge less than the amount, charged on a
 * credit card only and at most 3% (SPEC §3.6), and a payment page named by a payment_page
 * payment and by no other. Throws bad_request naming the field.
 */
export function intakeOf(payment: PaymentTerms): Intake {
  const surchargeCents = payment.surchargeCents ?? ZERO_CENTS;
  if (surchargeCents >= payment.amountCents)
    throw badRequest('surchargeCents must be less than amountCents', { field: 'surchargeCents' });
  if (payment.cardFunding !== undefined && payment.method !== 'card')
    throw badRequest('cardFunding is said of a card; an eCheck has none', { field: 'cardFunding' });
  const surchargeRefused = surchargeProblem(surchargeCents, subtractCents(payment.amountCents, surchargeCents), {
    method: payment.method,
    funding: payment.cardFunding ?? null,
  });
  if (surchargeRefused) throw badRequest(surchargeRefused, { field: 'surchargeCents' });
  if ((payment.origin === 'payment_page') !== Boolean(payment.paymentPageId)) {
    throw badRequest('paymentPageId is required for origin payment_page and only for it', { field: 'paymentPageId' });
  }
  const invoiceNumbers = (payment.invoiceNumbers ?? []).map((n) => n.trim()).filter(Boolean);
  return {
    surchargeCents,
    payerName: payment.payerName.trim(),
    invoiceNumbers,
    terms: newRecordTerms({
      account: payment.account,
      receiptCents: subtractCents(payment.amountCents, surchargeCents),
      invoiceNumbers,
      clientNumber: payment.clientNumber ?? null,
      matterNumber: payment.matterNumber ?? null,
      payerAllocations: payment.allocations ?? null,
    }),
  };
}

/**
 * Why the page a payment names refuses it, or null: the page must be the firm's (not_found
 * otherwise), and it decides the deposit account, so a payment claiming another would post
 * to the wrong ledger (bad_request).
 */
export function pageRefusal(
  payment: { paymentPageId: string; account: Account; depositAccountId?: string | undefined },
  page: { name: string; account: Account; depositAccountId: string; depositAccountName: string } | undefined,
): DomainError | null {
  if (!page) {
    return new DomainError(
      'not_found',
      'the payment page this payment names was not found: check the page, or take the payment without one',
      { field: 'paymentPageId', id: payment.paymentPageId },
    );
  }
  if (page.account !== payment.account) {
    return badRequest(
      `this payment is for the ${payment.account} account but payment page "${page.name}" deposits to the ${page.account} account; take it as ${page.account}, or without the page`,
      { field: 'account', paymentPageId: payment.paymentPageId },
    );
  }
  if (payment.depositAccountId !== undefined && payment.depositAccountId !== page.depositAccountId) {
    return badRequest(
      `this payment names another deposit account than payment page "${page.name}" deposits to ("${page.depositAccountName}"); leave the deposit account out and the page's is used`,
      {
        field: 'depositAccountId',
        paymentPageId: payment.paymentPageId,
        depositAccountId: payment.depositAccountId,
        pageDepositAccountId: page.depositAccountId,
      },
    );
  }
  return null;
}
