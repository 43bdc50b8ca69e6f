import { describe, expect, it } from 'vitest';
import { checkFilters, nextSort, readListState, sortParam } from './useFilters.ts';
import { backParam, readPage } from './usePager.ts';

/** Issue 16: what the address says of a list, read back the same (useFilters, usePager). */
describe('readListState', () => {
  it('reads the filters as typed and the order from the address', () => {
    const { form, sort } = readListState(
      '?q=acme&from=2026-01-01&min=1%2C250&account=trust&status=refunded&sort=-amount',
    );
    expect(form).toEqual({
      q: 'acme',
      from: '2026-01-01',
      to: '',
      min: '1,250',
      max: '',
      account: 'trust',
      origin: '',
      status: 'refunded',
    });
    expect(sort).toEqual({ key: 'amount', order: 'desc' });
    expect(sortParam(sort)).toBe('-amount');
  });

  it('takes anything it does not know as absent: newest first, any account', () => {
    const { form, sort } = readListState('?account=savings&origin=fax&status=lost&sort=fee');
    expect([form.account, form.origin, form.status]).toEqual(['', '', '']);
    expect(sort).toEqual({ key: 'date', order: 'desc' });
    expect(readListState('').sort).toEqual(readListState('?sort=-date').sort);
  });
});

describe('nextSort', () => {
  it('turns the sorted column the other way, and starts another at its usual way', () => {
    expect(nextSort({ key: 'date', order: 'desc' }, 'date')).toEqual({ key: 'date', order: 'asc' });
    expect(nextSort({ key: 'date', order: 'desc' }, 'amount')).toEqual({ key: 'amount', order: 'desc' });
    expect(nextSort({ key: 'amount', order: 'desc' }, 'payer')).toEqual({ key: 'payer', order: 'asc' });
    expect(nextSort({ key: 'payer', order: 'asc' }, 'payer')).toEqual({ key: 'payer', order: 'desc' });
  });
});

describe('checkFilters', () => {
  const form = readListState('').form;

  it('sends amounts in cents and days as they are', () => {
    expect(checkFilters({ ...form, min: '$1,250', max: '2000.5', from: '2026-01-01', to: '2026-01-31' })).toEqual({
      filters: { minCents: 125000, maxCents: 200050, from: '2026-01-01', to: '2026-01-31' },
      errors: {},
    });
  });

  it('says what is wrong beside the field and leaves that range out, so the list still loads', () => {
    expect(checkFilters({ ...form, min: 'abc', max: '10' })).toEqual({
      filters: {},
      errors: { min: 'Enter an amount like 1234.56' },
    });
    expect(checkFilters({ ...form, min: '20', max: '10', account: 'trust' })).toEqual({
      filters: { account: 'trust' },
      errors: { min: 'More than the max amount' },
    });
    expect(checkFilters({ ...form, from: '2026-02-01', to: '2026-01-01', min: '5' })).toEqual({
      filters: { minCents: 500 },
      errors: { from: 'After the To date' },
    });
    expect(checkFilters({ ...form, to: '2026-02-30' }).errors).toEqual({ to: 'Enter a date' });
  });
});

describe('readPage', () => {
  const key = 'all|[{},"","-date"]';

  it('starts at the first page, at 50 rows unless the address says 25 or 100', () => {
    expect(readPage('', null, key)).toEqual({ cursors: [null], limit: 50 });
    expect(readPage('?limit=100', null, key).limit).toBe(100);
    expect(readPage('?limit=7', null, key).limit).toBe(50);
  });

  it('goes back through the cursors its history entry remembers', () => {
    const state = { pagerKey: key, cursors: [null, 'c2', 'c3'] };
    expect(readPage('?cursor=c3&page=3', state, key).cursors).toEqual([null, 'c2', 'c3']);
  });

  it("opens a pasted link's page with the cursors of the pages before it, so Previous goes to page N-1", () => {
    expect(backParam([null, 'c2', 'c3', 'c4'])).toBe('c2.c3');
    expect(backParam([null, 'c2'])).toBeNull();
    expect(readPage('?cursor=c4&page=4&back=c2.c3', null, key).cursors).toEqual([null, 'c2', 'c3', 'c4']);
    expect(readPage('?cursor=c4&back=c2.c3', null, key).cursors).toEqual([null, 'c2', 'c3', 'c4']);
    // An address from before `back` (or with it cut short) knows less: Previous goes to the first page from there.
    expect(readPage('?cursor=c3&page=3', null, key).cursors).toEqual([null, null, 'c3']);
    expect(readPage('?cursor=c4&page=4&back=c3', null, key).cursors).toEqual([null, null, 'c3', 'c4']);
    expect(readPage('?cursor=c3', null, key).cursors).toEqual([null, 'c3']);
    // A mangled part of `back` is left out, never sent as a cursor.
    expect(readPage('?cursor=c3&page=3&back=%3Cx%3E', null, key).cursors).toEqual([null, null, 'c3']);
  });

  it('keeps the last 20 earlier cursors in the address', () => {
    const cursors = [null, ...Array.from({ length: 30 }, (_, i) => `c${i + 2}`)];
    const back = backParam(cursors)!;
    expect(back.split('.')).toHaveLength(20);
    const read = readPage(`?cursor=c31&page=31&back=${back}`, null, key).cursors;
    expect(read).toHaveLength(31);
    expect(read.slice(-21)).toEqual(cursors.slice(-21));
  });

  it('starts again at the first page when the list asked for is another', () => {
    const state = { pagerKey: 'pending|[{},"","-date"]', cursors: [null, 'c2'] };
    expect(readPage('?cursor=c2&page=2', state, key).cursors).toEqual([null]);
  });
});
