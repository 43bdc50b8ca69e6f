import type { Sizes } from './sizes.ts';

export type FirmRole = 'big' | 'post' | 'sync' | 'pay' | 'live' | 'other';

/** One firm of the generated dataset: how many of each thing it holds. */
export interface FirmPlan {
  code: string;
  role: FirmRole;
  clients: number;
  invoices: number;
  pending: number;
  incomplete: number;
  queued: number;
  posted: number;
  removed: number;
}

export const recordsOf = (f: FirmPlan) => f.pending + f.incomplete + f.queued + f.posted + f.removed;

/**
 * The dataset: a big firm whose pending view is the largest (lists and counts), a firm
 * with exactly the Post All batch pending (Post All, then its queued view is exported
 * and delivered), a firm with no invoices yet (the sync) whose incomplete records wait
 * for them, two firms with invoices and no records yet (the live delivery rows make
 * their records round by round, one for the file-drop sink and one for the procedure
 * sink), and ordinary firms sharing the rest, one of which takes the payments.
 */
export function planFirms(sizes: Sizes): FirmPlan[] {
  const big: FirmPlan = {
    code: 'BIG',
    role: 'big',
    clients: 0,
    invoices: 0,
    pending: sizes.bigPending,
    incomplete: Math.round(sizes.bigPending * 0.05),
    queued: Math.round(sizes.bigPending * 0.025),
    posted: Math.round(sizes.bigPending * 0.15),
    removed: Math.round(sizes.bigPending * 0.025),
  };
  const post: FirmPlan = {
    code: 'POSTALL',
    role: 'post',
    clients: 0,
    invoices: 0,
    pending: sizes.postAll,
    incomplete: 0,
    queued: 0,
    posted: 0,
    removed: 0,
  };
  const sync: FirmPlan = {
    code: 'SYNC',
    role: 'sync',
    clients: Math.max(1, Math.round(sizes.syncInvoices / 10)),
    invoices: 0, // the sync brings them
    pending: 0,
    incomplete: Math.max(1, Math.round(sizes.syncInvoices / 100)),
    queued: 0,
    posted: 0,
    removed: 0,
  };
  // 100 invoices of 20 clients: a round of 100 payments under $10 (live-rounds.ts) puts at
  // most two on an invoice, so 21 rounds stay far below the smallest open balance
  // ($1,000), and every payment classifies pending and applies in the MMS.
  const live: FirmPlan[] = ['LIVE', 'LIVEMMS'].map((code) => ({
    code,
    role: 'live',
    clients: 20,
    invoices: 100,
    pending: 0,
    incomplete: 0,
    queued: 0,
    posted: 0,
    removed: 0,
  }));
  const otherCount = Math.max(1, sizes.firms - 3 - live.length);
  const left = Math.max(otherCount * 10, sizes.records - recordsOf(big) - recordsOf(post) - recordsOf(sync));
  const each = Math.floor(left / otherCount);
  const others: FirmPlan[] = Array.from({ length: otherCount }, (_, i) => ({
    code: i === 0 ? 'PAY' : `F${String(i + 4).padStart(3, '0')}`,
    role: i === 0 ? 'pay' : 'other',
    clients: 0,
    invoices: 0,
    pending: Math.round(each * 0.1),
    incomplete: Math.round(each * 0.03),
    queued: Math.round(each * 0.02),
    removed: Math.round(each * 0.05),
    posted: each - Math.round(each * 0.1) - Math.round(each * 0.03) - Math.round(each * 0.02) - Math.round(each * 0.05),
  }));
  const withInvoices = [big, post, ...others];
  const records = withInvoices.reduce((sum, f) => sum + recordsOf(f), 0);
  for (const firm of withInvoices) {
    firm.invoices = Math.max(10, Math.round((sizes.invoices * recordsOf(firm)) / records));
    firm.clients = Math.max(2, Math.round(firm.invoices / 5));
  }
  return [big, post, sync, ...live, ...others];
}
