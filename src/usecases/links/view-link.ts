import type { z } from 'zod';
import type { paymentLinkViewOut, quickLinkViewOut } from '../../contract/pay.ts';
import { isLinkToken, linkNotFound, payerStatus, type LinkKind } from '../../domain/links.ts';
import type { Db } from '../../db/connect.ts';
import { selectLinkByToken, type LinkViewRow } from '../../db/links.ts';
import { hashLinkToken } from './link-token.ts';
import { LINK_VIEWS, type LinkViews } from './link-view.ts';

interface PayerViews {
  payment: z.infer<typeof paymentLinkViewOut>;
  quick: z.infer<typeof quickLinkViewOut>;
}

/** What the payer sees of a link of either kind: the firm, the amount, whom it asks and until when. */
function payerView(firmName: string, v: LinkViews[LinkKind]) {
  return {
    firmName,
    amountCents: v.amountCents,
    payerName: v.payerName,
    status: payerStatus(v.status),
    expiresAt: v.expiresAt,
  };
}

const PAYER_VIEWS: { [K in LinkKind]: (row: LinkViewRow, firmName: string, now: Date) => PayerViews[K] } = {
  payment: (row, firmName, now) => {
    const v = LINK_VIEWS.payment(row, now);
    return { ...payerView(firmName, v), allocations: v.allocations };
  },
  quick: (row, firmName, now) => {
    const v = LINK_VIEWS.quick(row, now);
    return { ...payerView(firmName, v), description: v.description };
  },
};

/**
 * What the payer sees at /pay/link/{token} (the invoices) or /pay/quick/{token} (the
 * description): the firm and the amount.
 */
export async function viewLink<K extends LinkKind>(
  db: Db,
  kind: K,
  token: string,
  now = new Date(),
): Promise<PayerViews[K]> {
  if (!isLinkToken(token)) throw linkNotFound();
  const row = await selectLinkByToken(db, kind, hashLinkToken(token));
  if (!row) throw linkNotFound();
  return PAYER_VIEWS[kind](row, row.firm_name, now);
}
