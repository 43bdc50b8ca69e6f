import { safeTotal } from './money.ts';
import { searchWords, type ListFilters } from './paging.ts';
import type { Account, Origin, RecordStatus } from './types.ts';
import type { View } from './views.ts';

/** One firm's records and cents for a status, account and origin. */
export interface Tally {
  status: RecordStatus;
  account: Account;
  origin: Origin;
  records: number;
  /** Exact: a sum of many records' cents may be more than a number holds exactly. */
  cents: bigint;
}

/** How many records have a status, and their cents (exact); `trust`: those of them in trust. */
export interface StatusCount {
  status: RecordStatus;
  n: number;
  total: bigint;
  trust: { n: number; total: bigint };
}

/**
 * Whether the tallies can count a list under these filters: unfiltered, or by account or
 * origin only (what the tabs show most of the time). A search, a date or an amount filter
 * needs the records counted.
 */
export function talliesCount(filters: ListFilters): boolean {
  return (
    searchWords(filters.q) === null &&
    !filters.from &&
    !filters.to &&
    filters.minCents === undefined &&
    filters.maxCents === undefined
  );
}

/** The tallies' counts per status under an account and origin filter (either may be absent). */
export function tallyRows(
  tallies: readonly Tally[],
  filters: { account?: Account | undefined; origin?: Origin | undefined },
): StatusCount[] {
  const by = new Map<RecordStatus, StatusCount>();
  for (const t of tallies) {
    if ((filters.account && t.account !== filters.account) || (filters.origin && t.origin !== filters.origin)) continue;
    const row = by.get(t.status) ?? { status: t.status, n: 0, total: 0n, trust: { n: 0, total: 0n } };
    row.n += t.records;
    row.total += t.cents;
    if (t.account === 'trust') {
      row.trust.n += t.records;
      row.trust.total += t.cents;
    }
    by.set(t.status, row);
  }
  return [...by.values()];
}

/**
 * Each view's count, and the sum of the pending records (what Post All would post under
 * no filters); the sum is left out when it is more than a number holds exactly, so no
 * record, however large, can keep a firm from seeing its counts.
 */
export type ViewCounts = Record<View, number> & {
  pendingTotalCents?: number;
  pendingByAccount: Record<Account, { count: number; totalCents?: number }>;
};

/** A count and its cents, the cents left out when a number cannot hold them exactly. */
function share(n: number, total: bigint): { count: number; totalCents?: number } {
  const cents = safeTotal(total);
  return cents === null ? { count: n } : { count: n, totalCents: cents };
}

export function viewCounts(rows: readonly StatusCount[]): ViewCounts {
  const by = new Map(rows.map((r) => [r.status, r.n]));
  const n = (s: RecordStatus) => by.get(s) ?? 0;
  const pending = rows.find((r) => r.status === 'pending');
  const pendingTotal = safeTotal(pending?.total ?? 0n);
  const trust = pending?.trust ?? { n: 0, total: 0n };
  return {
    // What Post All takes, per deposit account (issue 16: its confirmation says so).
    pendingByAccount: {
      operating: share(n('pending') - trust.n, (pending?.total ?? 0n) - trust.total),
      trust: share(trust.n, trust.total),
    },
    pending_incomplete: n('pending') + n('incomplete'),
    pending: n('pending'),
    incomplete: n('incomplete'),
    posted: n('posted'),
    removed: n('removed'),
    queued: n('queued'),
    all: n('pending') + n('incomplete') + n('posted') + n('removed') + n('queued'),
    ...(pendingTotal === null ? {} : { pendingTotalCents: pendingTotal }),
  };
}
