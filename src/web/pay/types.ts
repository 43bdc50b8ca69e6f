import type { z } from 'zod';
import type {
  linkPaymentBody,
  lookupBody,
  lookupOut,
  paymentLinkPaidOut,
  paymentLinkViewOut,
  publicPageOut,
  quickLinkPaidOut,
  quickLinkViewOut,
  receiptOut,
} from '../../contract/pay.ts';

// What the public pay routes take and answer, inferred from their contract (src/contract/pay.ts),
// as src/web/api/types.ts does for staff screens.
export type PublicPage = z.output<typeof publicPageOut>;
export type LookupResult = z.output<typeof lookupOut>;
export type OpenInvoice = LookupResult['invoices'][number];
export type PageReceipt = z.output<typeof receiptOut>;
export type PaymentLinkView = z.output<typeof paymentLinkViewOut>;
export type PaymentLinkPaid = z.output<typeof paymentLinkPaidOut>;
export type QuickLinkView = z.output<typeof quickLinkViewOut>;
export type QuickLinkPaid = z.output<typeof quickLinkPaidOut>;

/** The payer's proof of who they pay for: the client number and one invoice or matter number. */
export type LookupQuery = z.input<typeof lookupBody>;

/** Who pays a link or a page: what the payer's form sends besides the processor's token. */
export type Payer = Omit<z.input<typeof linkPaymentBody>, 'token'>;
