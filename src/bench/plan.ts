import type { Sizes } from './sizes.ts';
import { RUNS } from './table.ts';

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
 * The dataset: a big firm whose pending view is the largest (lists and counts), three
 * firms with exactly the Post All batch pending (one Post All each, then their queued
 * views are exported and delivered), three firms with no invoices yet (one sync each)
 * whose incomplete records wait for them, two firms with invoices and no records yet (the live delivery rows make
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
  // One firm per run of Post All (and of its export and delivery), one per run of the sync:
  // every run starts from the same state.
  const posts: FirmPlan[] = Array.from({ length: RUNS }, (_, i) => ({
    code: `POSTALL${i + 1}`,
    role: 'post',
    clients: 0,
    invoices: 0,
    pending: sizes.postAll,
    incomplete: 0,
    queued: 0,
    posted: 0,
    removed: 0,
  }));
  const syncs: FirmPlan[] = Array.from({ length: RUNS }, (_, i) => ({
    code: `SYNC${i + 1}`,
    role: 'sync',
    clients: Math.max(1, Math.round(sizes.syncInvoices / 10)),
    invoices: 0, // the sync brings them
    pending: 0,
    incomplete: Math.max(1, Math.round(sizes.syncInvoices / 100)),
    queued: 0,
    posted: 0,
    removed: 0,
  }));
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
  const otherCount = Math.max(1, sizes.firms - 1 - posts.length - syncs.length - live.length);
  const made = [big, ...posts, ...syncs].reduce((sum, f) => sum + recordsOf(f), 0);
  const left = Math.max(otherCount * 10, sizes.records - made);
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
  const withInvoices = [big, ...posts, ...others];
  const records = withInvoices.reduce((sum, f) => sum + recordsOf(f), 0);
  for (const firm of withInvoices) {
    firm.invoices = Math.max(10, Math.round((sizes.invoices * recordsOf(firm)) / records));
    firm.clients = Math.max(2, Math.round(firm.invoices / 5));
  }
  return [big, ...posts, ...syncs, ...live, ...others];
}

/** The firms of the Post All runs (then exported and delivered), and of the sync runs, in run order. */
export const postFirmCodes = (codes: Iterable<string>) => [...codes].filter((c) => /^POSTALL\d+$/.test(c)).sort();
export const syncFirmCodes = (codes: Iterable<string>) => [...codes].filter((c) => /^SYNC\d+$/.test(c)).sort();
