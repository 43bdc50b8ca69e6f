import { describe, expect, it } from 'vitest';
import { cents } from './money.ts';
import {
  decideAttempt,
  endOfChoice,
  endReached,
  openForSchedule,
  type ScheduleEnd,
  type ScheduleProgress,
} from './schedule-ends.ts';

const progress = (over: Partial<ScheduleProgress> = {}): ScheduleProgress => ({
  nextRunOn: '2026-03-01',
  paidCount: 0,
  charging: 0,
  awaitingRetry: 0,
  invoice: null,
  ...over,
});
const invoice = (balance: number, unreflected = 0, status: 'open' | 'paid' | 'void' = 'open') => ({
  status,
  balanceCents: cents(balance),
  unreflectedCents: cents(unreflected),
});
const COUNT: ScheduleEnd = { kind: 'count', count: 3 };
const DATE: ScheduleEnd = { kind: 'date', endsOn: '2026-03-01' };
const INVOICE: ScheduleEnd = { kind: 'invoice_paid', invoiceNumber: 'INV-1' };
const amount = cents(10_000);

describe('endOfChoice', () => {
  const base = { startOn: '2026-03-01', account: 'operating' as const };
  it('reads each end, and none as never', () => {
    expect(endOfChoice(base)).toEqual({ kind: 'never' });
    expect(endOfChoice({ ...base, endAfterCount: 4 })).toEqual({ kind: 'count', count: 4 });
    expect(endOfChoice({ ...base, endsOn: '2026-03-01' })).toEqual({ kind: 'date', endsOn: '2026-03-01' });
    expect(endOfChoice({ ...base, untilInvoicePaid: true, invoiceNumber: ' INV-1 ' })).toEqual(INVOICE);
    expect(endOfChoice({ ...base, untilInvoicePaid: false })).toEqual({ kind: 'never' });
  });
  it('names the field that is wrong', () => {
    const field = (choice: object) => (endOfChoice({ ...base, ...choice }) as { field?: string }).field;
    expect(field({ endsOn: '2026-02-28' })).toBe('endsOn');
    expect(field({ endAfterCount: 0 })).toBe('endAfterCount');
    expect(field({ untilInvoicePaid: true })).toBe('invoiceNumber');
    expect(field({ untilInvoicePaid: true, invoiceNumber: '  ' })).toBe('invoiceNumber');
    expect(field({ untilInvoicePaid: true, invoiceNumber: 'INV-1', account: 'trust' })).toBe('account');
    expect(field({ invoiceNumber: 'INV-1' })).toBe('invoiceNumber');
    expect(field({ endAfterCount: 2, endsOn: '2026-04-01' })).toBe('endsOn');
    expect(field({ endsOn: '2026-04-01', untilInvoicePaid: true, invoiceNumber: 'INV-1' })).toBe('untilInvoicePaid');
  });
});

describe('openForSchedule', () => {
  it("is the synced balance less the schedule's charges the sync has not shown, never below 0", () => {
    expect(openForSchedule(invoice(25_000))).toBe(25_000);
    expect(openForSchedule(invoice(25_000, 10_000))).toBe(15_000);
    expect(openForSchedule(invoice(5_000, 10_000))).toBe(0);
  });
  it('is nothing once the MMS has the invoice paid or void', () => {
    expect(openForSchedule(invoice(5_000, 0, 'paid'))).toBe(0);
    expect(openForSchedule(invoice(5_000, 0, 'void'))).toBe(0);
  });
});

describe('endReached', () => {
  it('never ends a schedule without an end, nor one with an attempt under way', () => {
    expect(endReached({ kind: 'never' }, progress({ paidCount: 1000 }))).toBeNull();
    expect(endReached(COUNT, progress({ paidCount: 3, charging: 1 }))).toBeNull();
  });
  it('counts successful charges only', () => {
    expect(endReached(COUNT, progress({ paidCount: 2, awaitingRetry: 1 }))).toBeNull();
    expect(endReached(COUNT, progress({ paidCount: 3 }))).toBe('count');
  });
  it('ends on its date once the next date is past it and no retry is waiting', () => {
    expect(endReached(DATE, progress({ nextRunOn: '2026-03-01' }))).toBeNull();
    expect(endReached(DATE, progress({ nextRunOn: '2026-03-08', awaitingRetry: 1 }))).toBeNull();
    expect(endReached(DATE, progress({ nextRunOn: '2026-03-08' }))).toBe('date');
  });
  it('ends with its invoice once nothing is open, a waiting retry or not', () => {
    expect(endReached(INVOICE, progress({ invoice: invoice(1) }))).toBeNull();
    expect(endReached(INVOICE, progress({ invoice: invoice(10_000, 10_000), awaitingRetry: 1 }))).toBe('invoice_paid');
    expect(endReached(INVOICE, progress({ invoice: invoice(0, 0, 'paid') }))).toBe('invoice_paid');
  });
});

describe('decideAttempt', () => {
  it('charges the full amount with no end, beside other attempts too', () => {
    expect(decideAttempt({ kind: 'never' }, amount, progress({ charging: 1 }), false)).toEqual({
      kind: 'charge',
      amountCents: 10_000,
    });
  });
  it('waits while another attempt of an ending schedule is under way', () => {
    expect(decideAttempt(DATE, amount, progress({ charging: 1 }), false)).toEqual({ kind: 'wait' });
  });
  it('holds a new occurrence back while a retry may make the last payment of a count, but makes the retry', () => {
    expect(decideAttempt(COUNT, amount, progress({ paidCount: 2, awaitingRetry: 1 }), false)).toEqual({
      kind: 'wait',
    });
    expect(decideAttempt(COUNT, amount, progress({ paidCount: 2, awaitingRetry: 1 }), true)).toEqual({
      kind: 'charge',
      amountCents: 10_000,
    });
    expect(decideAttempt(COUNT, amount, progress({ paidCount: 3 }), false)).toEqual({ kind: 'end', reason: 'count' });
  });
  it('charges on the end date, retries after it, and takes no occurrence past it', () => {
    expect(decideAttempt(DATE, amount, progress({ nextRunOn: '2026-03-01' }), false).kind).toBe('charge');
    expect(decideAttempt(DATE, amount, progress({ nextRunOn: '2026-03-08', awaitingRetry: 1 }), true).kind).toBe(
      'charge',
    );
    expect(decideAttempt(DATE, amount, progress({ nextRunOn: '2026-03-08', awaitingRetry: 1 }), false).kind).toBe(
      'wait',
    );
    expect(decideAttempt(DATE, amount, progress({ nextRunOn: '2026-03-08' }), false)).toEqual({
      kind: 'end',
      reason: 'date',
    });
  });
  it('charges no more than is open on the invoice', () => {
    expect(decideAttempt(INVOICE, amount, progress({ invoice: invoice(25_000, 20_000) }), false)).toEqual({
      kind: 'charge',
      amountCents: 5_000,
    });
    expect(decideAttempt(INVOICE, amount, progress({ invoice: invoice(25_000) }), true)).toEqual({
      kind: 'charge',
      amountCents: 10_000,
    });
    expect(decideAttempt(INVOICE, amount, progress({ invoice: invoice(0, 0, 'paid') }), true)).toEqual({
      kind: 'end',
      reason: 'invoice_paid',
    });
  });
});
