import { describe, expect, it } from 'vitest';
import { endBody, endText, paymentsText, upcomingRuns } from './schedule.ts';

describe('upcomingRuns', () => {
  it('steps a week at a time across a month end', () => {
    expect(upcomingRuns('2026-01-28', 'weekly')).toEqual(['2026-01-28', '2026-02-04', '2026-02-11']);
  });

  it('keeps a monthly day, using the last day of a shorter month', () => {
    expect(upcomingRuns('2026-01-31', 'monthly', 4)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('answers nothing for a date not yet typed in full', () => {
    expect(upcomingRuns('', 'monthly')).toEqual([]);
    expect(upcomingRuns('2026-1-5', 'weekly')).toEqual([]);
  });
});

describe('endBody', () => {
  const draft = { end: 'never' as const, count: '', endsOn: '', invoiceNumber: null };
  it('sends nothing for a schedule that never ends', () => {
    expect(endBody(draft, '2026-03-01', 'operating')).toEqual({ body: {} });
  });

  it('takes a whole count of 1 or more', () => {
    expect(endBody({ ...draft, end: 'count', count: ' 6 ' }, '2026-03-01', 'operating')).toEqual({
      body: { endAfterCount: 6 },
    });
    for (const count of ['', '0', '1.5', '-2', 'six', '1001'])
      expect(endBody({ ...draft, end: 'count', count }, '2026-03-01', 'operating')).toHaveProperty('problem');
  });

  it('takes an end date on or after the first charge', () => {
    expect(endBody({ ...draft, end: 'date', endsOn: '2026-03-01' }, '2026-03-01', 'operating')).toEqual({
      body: { endsOn: '2026-03-01' },
    });
    expect(endBody({ ...draft, end: 'date', endsOn: '2026-02-28' }, '2026-03-01', 'operating')).toEqual({
      problem: 'The end date cannot be before the first charge.',
    });
    expect(endBody({ ...draft, end: 'date' }, '2026-03-01', 'operating')).toHaveProperty('problem');
  });

  it('needs the invoice picked, and operating money, to end with the invoice', () => {
    expect(endBody({ ...draft, end: 'invoice' }, '2026-03-01', 'operating')).toHaveProperty('problem');
    expect(endBody({ ...draft, end: 'invoice', invoiceNumber: 'INV-1' }, '2026-03-01', 'trust')).toHaveProperty(
      'problem',
    );
    expect(endBody({ ...draft, end: 'invoice', invoiceNumber: 'INV-1' }, '2026-03-01', 'operating')).toEqual({
      body: { untilInvoicePaid: true, invoiceNumber: 'INV-1' },
    });
  });
});

describe('paymentsText and endText', () => {
  const facts = { endAfterCount: null, endsOn: null, invoiceNumber: null, paymentsMade: 2 };
  const date = (iso: string) => `[${iso}]`;
  it('says payments made, of how many where it ends by count', () => {
    expect(paymentsText(facts)).toBe('2');
    expect(paymentsText({ ...facts, endAfterCount: 6 })).toBe('2 of 6');
  });
  it('says how it ends', () => {
    expect(endText(facts, date)).toBe('Never');
    expect(endText({ ...facts, endAfterCount: 1 }, date)).toBe('After 1 payment');
    expect(endText({ ...facts, endAfterCount: 6 }, date)).toBe('After 6 payments');
    expect(endText({ ...facts, endsOn: '2026-05-01' }, date)).toBe('On [2026-05-01]');
    expect(endText({ ...facts, invoiceNumber: 'INV-7' }, date)).toBe('When INV-7 is paid');
  });
});
