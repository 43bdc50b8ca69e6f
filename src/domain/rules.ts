import type { Origin } from './types.ts';

/**
 * SPEC §3.1–3.2: only Connect payments, and payment-page payments whose page had
 * "create a posting record" checked when the payment was made, are posted by paybridge.
 * The others the firm keys into its MMS by hand, so a record would post them twice.
 * The page's box is read as it was at payment time: unchecking it later must not
 * remove records already made, nor make records for old payments.
 */
export function createsPostingRecord(origin: Origin, pageCreatesPostingRecord: boolean | null): boolean {
  switch (origin) {
    case 'connect':
      return true;
    case 'payment_page':
      return pageCreatesPostingRecord === true;
    case 'enter_payment':
    case 'payment_schedule':
    case 'quick_link':
      return false;
  }
}
