import { describe, expect, it } from 'vitest';
import {
  accountFilterOptions,
  accountQuery,
  depositsPageOf,
  depositsPath,
  monthOf,
  payoutPath,
  statementPath,
} from './paths.ts';

describe('deposits addresses', () => {
  it('tells the list, the statement and a payout apart, and round-trips their paths', () => {
    expect(depositsPageOf('/deposits')).toEqual({ page: 'list' });
    expect(depositsPageOf('/deposits/')).toEqual({ page: 'list' });
    expect(depositsPageOf(statementPath('2026-01').split('?')[0]!)).toEqual({ page: 'statement' });
    const id = '0b6c1f9e-4a8d-4a43-9c55-6c1b0f1f2a77';
    expect(depositsPageOf(payoutPath(id))).toEqual({ page: 'payout', id });
    expect(depositsPath('2026-01')).toBe('/deposits?month=2026-01');
  });

  it("takes the address's month, or the month it is now in the firm's zone", () => {
    expect(monthOf('2025-11', 'America/New_York')).toBe('2025-11');
    // 03:00 UTC on 1 December is still 30 November in New York, and already December in Tokyo.
    const now = new Date('2026-12-01T03:00:00.000Z');
    expect(monthOf(null, 'America/New_York', now)).toBe('2026-11');
    expect(monthOf(null, 'Asia/Tokyo', now)).toBe('2026-12');
    for (const bad of ['2026-13', '2026-1', 'next', '']) expect(monthOf(bad, 'America/New_York', now)).toBe('2026-11');
  });
});

describe('the account filter', () => {
  const accounts = [
    { id: 'op1', name: 'Operating', kind: 'operating' as const },
    { id: 'tr1', name: 'IOLTA', kind: 'trust' as const },
    { id: 'tr2', name: 'Trust (Smith estate)', kind: 'trust' as const },
  ];

  it('lists each account by kind, with "all" only for a kind that has several', () => {
    expect(accountFilterOptions(accounts)).toEqual([
      { group: 'Operating', items: [{ value: 'op1', label: 'Operating' }] },
      {
        group: 'Trust',
        items: [
          { value: 'trust', label: 'All trust accounts' },
          { value: 'tr1', label: 'IOLTA' },
          { value: 'tr2', label: 'Trust (Smith estate)' },
        ],
      },
    ]);
  });

  it('asks for a kind or for one account', () => {
    expect(accountQuery(null)).toEqual({});
    expect(accountQuery('trust')).toEqual({ account: 'trust' });
    expect(accountQuery('tr2')).toEqual({ depositAccountId: 'tr2' });
  });
});
