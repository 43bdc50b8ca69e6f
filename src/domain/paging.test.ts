import { describe, expect, it } from 'vitest';
import {
  amountKey,
  clientMatterKey,
  decodeCursor,
  encodeCursor,
  last4Key,
  listSort,
  searchKeyPatterns,
  searchWords,
  searchMeanings,
  seqCursor,
} from './paging.ts';

describe('seqCursor', () => {
  it('reads the batch seq a Batches page ended at', () => {
    expect(seqCursor('1')).toBe(1);
    expect(seqCursor('2147483647')).toBe(2_147_483_647);
  });

  it.each(['0', '01', '-1', '1.5', 'abc', '', '2147483648', '12345678901'])(
    'refuses %j as no cursor this list gave',
    (cursor) => {
      expect(() => seqCursor(cursor)).toThrow(
        expect.objectContaining({ code: 'bad_request', details: { field: 'cursor' } }),
      );
    },
  );
});

describe('listSort and the cursor of an order (issue 16)', () => {
  it('reads a key with "-" for descending, and asc/desc as the date orders', () => {
    expect(listSort('-amount')).toEqual({ key: 'amount', order: 'desc' });
    expect(listSort('payer')).toEqual({ key: 'payer', order: 'asc' });
    expect(listSort('desc')).toEqual({ key: 'date', order: 'desc' });
    expect(listSort('asc')).toEqual(listSort('date'));
  });

  it("hands an order's cursor back to that order only", () => {
    const at = new Date('2026-03-01T09:00:00Z');
    const id = '0b5e7d3c-1f2a-4c3b-9d8e-7f6a5b4c3d2e';
    const byAmount = encodeCursor({ at, id }, { key: 'amount', value: 125000 });
    expect(decodeCursor(byAmount, 'amount')).toEqual({ at, id, value: 125000 });
    expect(() => decodeCursor(byAmount, 'payer')).toThrow(/not one this list gave/);
    expect(() => decodeCursor(byAmount, 'date')).toThrow(/not one this list gave/);
    const byDate = encodeCursor({ at, id }, { key: 'date', value: 0 });
    expect(decodeCursor(byDate)).toEqual({ at, id });
    expect(() => decodeCursor(byDate, 'status')).toThrow(/not one this list gave/);
    // A payer's name as the value: text, as long as the name may be.
    const crafted = Buffer.from(JSON.stringify([at.toISOString(), id, 'amount', '1 or 1=1'])).toString('base64url');
    expect(() => decodeCursor(crafted, 'amount')).toThrow(/not one this list gave/);
  });
});

describe('searchMeanings', () => {
  it('reads an amount as the tables show it, in dollars', () => {
    for (const q of ['1,250.00', '1250', '$1,250', ' 1250.00 ', '1250.0'])
      expect(searchMeanings(q).cents, q).toBe(125000);
    expect(searchMeanings('12.5').cents).toBe(1250);
    for (const q of ['1,25', 'abc', '12.345', '0', '-5', '1e3', '99999999999'])
      expect(searchMeanings(q).cents, q).toBe(null);
  });

  it('reads four digits as the last 4 of a card or account', () => {
    expect(searchMeanings('4242').last4).toBe('4242');
    expect(searchMeanings('42424').last4).toBe(null);
    expect(searchMeanings('acme').last4).toBe(null);
  });

  it('reads "client / matter" as the tables show it, the matter as a beginning', () => {
    expect(searchMeanings('1002 / 001').clientMatter).toEqual({ client: '1002', matterPattern: '001%' });
    expect(searchMeanings('C3/M_9').clientMatter).toEqual({ client: 'c3', matterPattern: 'm\\_9%' });
    expect(searchMeanings('a / b / c').clientMatter).toBe(null);
    expect(searchMeanings('Baker & Sons').clientMatter).toBe(null);
  });
});

describe('search keys', () => {
  it('writes amounts and last 4 in capitals, digits as A–J, so no lower-cased word matches them', () => {
    expect(amountKey(125_000)).toBe('#ABCFAAA#');
    expect(amountKey(-1_250)).toBe('#ABCFA#');
    expect(last4Key('4242')).toBe('#LECEC#');
    expect(clientMatterKey('1002', 'abc')).toBe('#M1002/ABC#');
    for (const key of [amountKey(125_000), last4Key('9876')]) expect(key).not.toMatch(/[a-z0-9]/);
  });

  it('gives a pattern per meaning of the search text, matching the keys', () => {
    const like = (pattern: string, text: string) =>
      new RegExp(
        `^${pattern
          .replace(/\\([\\%_])/g, '$1')
          .split('%')
          .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
          .join('.*')}$`,
      ).test(text);
    for (const q of ['1,250.00', '$1,250', '1250.00']) expect(searchKeyPatterns(q)).toEqual(['%#ABCFAAA#%']);
    expect(searchKeyPatterns('1250')).toEqual(['%#ABCFAAA#%', '%#LBCFA#%']);
    expect(searchKeyPatterns('acme')).toEqual([]);
    const [pair] = searchKeyPatterns('1002 / 00');
    expect(like(pair!, `x ${clientMatterKey('1002', '001')}`)).toBe(true);
    expect(like(pair!, `x ${clientMatterKey('11002', '001')}`)).toBe(false);
    expect(like(pair!, `x ${clientMatterKey('1002', '101')}`)).toBe(false);
  });

  it("reads the search box's text without the keys' `#`; nothing left is no search", () => {
    expect(searchWords('#101')).toBe('101');
    expect(searchWords('  Unit #4 ')).toBe('Unit 4');
    for (const q of [undefined, '', '   ', '#', '##', ' # # ']) expect(searchWords(q), q).toBeNull();
    expect(searchWords('%')).toBe('%');
    expect(searchWords('#-')).toBe('-');
  });
});
