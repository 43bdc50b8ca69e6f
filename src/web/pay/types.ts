import type { z } from 'zod';
import type { lookupOut, paymentLinkPaidOut, paymentLinkViewOut, publicPageOut, quickLinkPaidOut, quickLinkViewOut, receiptOut } from '../../contract/pay.ts';

// What the public pay routes answer, from the server's own zod schemas (type-only: nothing
// of the server reaches the browser bundle), as src/web/api/types.ts does for staff screens.
export type PublicPage = z.output<typeof publicPageOut>;
export type LookupResult = z.output<typeof lookupOut>;
export type OpenInvoice = LookupResult['invoices'][number];
export type PageReceipt = z.output<typeof receiptOut>;
export type PaymentLinkView = z.output<typeof paymentLinkViewOut>;
export type PaymentLinkPaid = z.output<typeof paymentLinkPaidOut>;
export type QuickLinkView = z.output<typeof quickLinkViewOut>;
export type QuickLinkPaid = z.output<typeof quickLinkPaidOut>;

/** The payer's proof of who they pay for: the client number and one invoice or matter number. */
export interface LookupQuery {
  clientNumber: string;
  invoiceNumber?: string;
  matterNumber?: string;
}

export interface Payer {
  payerName: string;
  payerEmail?: string;
}
