import { describe, expect, it } from 'vitest';
import { cents } from './money.ts';
import { talliesCount, tallyRows, viewCounts, type Tally } from './view-counts.ts';

const tally = (
  status: Tally['status'],
  account: Tally['account'],
  origin: Tally['origin'],
  records: number,
  cents: bigint,
): Tally => ({ status, account, origin, records, cents });

describe('tallyRows', () => {
  const tallies = [
    tally('pending', 'operating', 'payment_page', 2, 300n),
    tally('pending', 'trust', 'payment_page', 1, 50n),
    tally('posted', 'operating', 'enter_payment', 4, 1000n),
  ];

  it('adds up every group of a status', () => {
    expect(tallyRows(tallies, {})).toEqual([
      { status: 'pending', n: 3, total: 350n, trust: { n: 1, total: 50n } },
      { status: 'posted', n: 4, total: 1000n, trust: { n: 0, total: 0n } },
    ]);
  });

  it('keeps only the groups of the account and origin asked for', () => {
    expect(tallyRows(tallies, { account: 'trust' })).toEqual([
      { status: 'pending', n: 1, total: 50n, trust: { n: 1, total: 50n } },
    ]);
    expect(tallyRows(tallies, { origin: tallies[2]!.origin })).toEqual([
      { status: 'posted', n: 4, total: 1000n, trust: { n: 0, total: 0n } },
    ]);
  });
});

describe('viewCounts', () => {
  const none = { n: 0, total: 0n };
  it('counts each view, with the pending total, and per account what Post All posts', () => {
    expect(
      viewCounts([
        { status: 'pending', n: 2, total: 300n, trust: { n: 1, total: 100n } },
        { status: 'incomplete', n: 1, total: 5n, trust: none },
        { status: 'removed', n: 4, total: 9n, trust: none },
      ]),
    ).toEqual({
      pendingByAccount: { operating: { count: 1, totalCents: 200 }, trust: { count: 1, totalCents: 100 } },
      pending_incomplete: 3,
      pending: 2,
      incomplete: 1,
      posted: 0,
      removed: 4,
      queued: 0,
      all: 7,
      pendingTotalCents: 300,
    });
  });

  it('leaves the pending total out when a number cannot hold it exactly', () => {
    const counts = viewCounts([{ status: 'pending', n: 1, total: BigInt(Number.MAX_SAFE_INTEGER) + 1n, trust: none }]);
    expect(counts.pending).toBe(1);
    expect(counts).not.toHaveProperty('pendingTotalCents');
    expect(counts.pendingByAccount).toEqual({ operating: { count: 1 }, trust: { count: 0, totalCents: 0 } });
  });
});

describe('talliesCount', () => {
  it('counts from the tallies unfiltered or by account and origin only, and not under any other filter', () => {
    expect(talliesCount({})).toBe(true);
    expect(talliesCount({ account: 'trust', origin: 'connect', q: '  ' })).toBe(true);
    expect(talliesCount({ q: 'ada' })).toBe(false);
    expect(talliesCount({ from: '2026-01-01' })).toBe(false);
    expect(talliesCount({ to: '2026-01-01' })).toBe(false);
    expect(talliesCount({ minCents: cents(0) })).toBe(false);
    expect(talliesCount({ maxCents: cents(100) })).toBe(false);
  });
});
