import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDollars, exportFileName, firmDayCell, paymentMethodText, safeCellText } from './spreadsheet.ts';

describe('safeCellText', () => {
  it.each([
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
  ])('prefixes %j with a quote', (input, expected) => {
    expect(safeCellText(input)).toBe(expected);
  });

  it.each(['Acme Holdings', 'INV-100', '', ' =not first', "O'Brien", 'a=b', '100'])('leaves %j alone', (input) => {
    expect(safeCellText(input)).toBe(input);
  });

  it('never loses the original text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const safe = safeCellText(s);
        expect(safe === s || safe === `'${s}`).toBe(true);
        expect(/^[=+\-@\t\r]/.test(safe)).toBe(false);
      }),
    );
  });
});

describe('centsToDollars', () => {
  it('gives the nearest number to the decimal amount', () => {
    expect(centsToDollars(12345)).toBe(123.45);
    expect(centsToDollars(-1250)).toBe(-12.5);
    expect(centsToDollars(0)).toBe(0);
    expect(centsToDollars(10)).toBe(0.1);
  });

  it('refuses a fraction of a cent', () => {
    expect(() => centsToDollars(1.5)).toThrow();
  });
});

describe('paymentMethodText', () => {
  it('names the brand and last 4', () => {
    expect(paymentMethodText({ method: 'card', cardBrand: 'visa', last4: '4242' })).toBe('visa ending 4242');
    expect(paymentMethodText({ method: 'echeck', cardBrand: null, last4: '6789' })).toBe('eCheck ending 6789');
    expect(paymentMethodText({ method: 'card', cardBrand: null, last4: null })).toBe('card');
  });
});

describe('exportFileName', () => {
  it('names the export, its view and the day', () => {
    expect(
      exportFileName(['postings', 'pending_incomplete'], new Date('2026-11-27T15:00:00Z'), 'America/New_York'),
    ).toBe('postings-pending_incomplete-2026-11-27.xlsx');
  });

  it("dates it by the firm's day, not the UTC one", () => {
    expect(exportFileName(['payments'], new Date('2027-01-01T03:30:00Z'), 'America/Los_Angeles')).toBe(
      'payments-2026-12-31.xlsx',
    );
  });
});

describe('firmDayCell', () => {
  it("is the UTC midnight of the instant's day in the firm's zone", () => {
    expect(firmDayCell('2026-11-01T23:59:00.000Z', 'America/Los_Angeles')).toEqual(
      new Date('2026-11-01T00:00:00.000Z'),
    );
    // Midnight UTC on 2 November is 5 pm on 1 November in Los Angeles, and already 2 November in Tokyo.
    expect(firmDayCell('2026-11-02T00:00:00.000Z', 'America/Los_Angeles')).toEqual(
      new Date('2026-11-01T00:00:00.000Z'),
    );
    expect(firmDayCell('2026-11-02T00:00:00.000Z', 'Asia/Tokyo')).toEqual(new Date('2026-11-02T00:00:00.000Z'));
  });
});
