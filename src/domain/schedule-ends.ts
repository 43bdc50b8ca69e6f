import { maxCents, minCents, subtractCents, ZERO_CENTS, type Cents } from './money.ts';
import type { InvoiceStatus } from './types.ts';

/**
 * How a payment schedule ends (issue 13): never (until cancelled), after a count of
 * payments, on a date (inclusive, a date in the firm's time zone), or once the invoice it
 * names is paid.
 */
export type ScheduleEnd =
  | { kind: 'never' }
  | { kind: 'count'; count: number }
  | { kind: 'date'; endsOn: string }
  | { kind: 'invoice_paid'; invoiceNumber: string };

export const COMPLETED_REASONS = ['count', 'date', 'invoice_paid'] as const;
export type CompletedReason = (typeof COMPLETED_REASONS)[number];

/** The end as stored: at most one of the three columns is set. */
export function scheduleEndOf(row: {
  end_after_count: number | null;
  ends_on: string | null;
  invoice_number: string | null;
}): ScheduleEnd {
  if (row.end_after_count !== null) return { kind: 'count', count: row.end_after_count };
  if (row.ends_on !== null) return { kind: 'date', endsOn: row.ends_on };
  if (row.invoice_number !== null) return { kind: 'invoice_paid', invoiceNumber: row.invoice_number };
  return { kind: 'never' };
}

/** The end a new schedule asks for, as the API takes it. */
export interface EndChoice {
  startOn: string;
  account: 'operating' | 'trust';
  endAfterCount?: number | undefined;
  endsOn?: string | undefined;
  untilInvoicePaid?: boolean | undefined;
  invoiceNumber?: string | undefined;
}

/**
 * The end a new schedule asks for, or the field that makes it wrong: one end at most,
 * an end date no earlier than the first charge, and an invoice named exactly when the
 * schedule ends with it (an operating receipt: trust money is not applied to invoices).
 */
export function endOfChoice(choice: EndChoice): ScheduleEnd | { field: string; problem: string } {
  const { endAfterCount, endsOn, untilInvoicePaid, invoiceNumber } = choice;
  const chosen = [endAfterCount !== undefined, endsOn !== undefined, untilInvoicePaid === true];
  if (chosen.filter(Boolean).length > 1)
    return {
      field: untilInvoicePaid ? 'untilInvoicePaid' : 'endsOn',
      problem: 'choose one end: endAfterCount, endsOn or untilInvoicePaid',
    };
  if (endAfterCount !== undefined && !(Number.isInteger(endAfterCount) && endAfterCount >= 1))
    return { field: 'endAfterCount', problem: 'endAfterCount must be a whole number, 1 or more' };
  if (endsOn !== undefined && endsOn < choice.startOn)
    return { field: 'endsOn', problem: `endsOn must be on or after startOn (${choice.startOn})` };
  if (untilInvoicePaid) {
    const number = invoiceNumber?.trim();
    if (!number) return { field: 'invoiceNumber', problem: 'untilInvoicePaid needs the invoiceNumber it pays' };
    if (choice.account !== 'operating')
      return { field: 'account', problem: 'a schedule that pays an invoice takes operating money' };
    return { kind: 'invoice_paid', invoiceNumber: number };
  }
  if (invoiceNumber !== undefined)
    return { field: 'invoiceNumber', problem: 'invoiceNumber goes with untilInvoicePaid: true' };
  if (endAfterCount !== undefined) return { kind: 'count', count: endAfterCount };
  if (endsOn !== undefined) return { kind: 'date', endsOn };
  return { kind: 'never' };
}

/** The synced invoice a schedule pays, as the mirror has it. */
export interface ScheduleInvoice {
  status: InvoiceStatus;
  balanceCents: Cents;
  /** What this schedule charged that the synced balance does not reflect yet. */
  unreflectedCents: Cents;
}

/**
 * What is still open on the invoice for the schedule: nothing once the MMS has it paid or
 * void; else the synced balance less the schedule's own charges the mirror has not seen
 * (the firm enters a schedule's payments in its MMS by hand, so the next sync may come
 * after the next charge: without this a client could be charged the same balance twice).
 */
export function openForSchedule(invoice: ScheduleInvoice): Cents {
  if (invoice.status !== 'open') return ZERO_CENTS;
  return maxCents(ZERO_CENTS, subtractCents(invoice.balanceCents, invoice.unreflectedCents));
}

/** Where a schedule stands, for deciding whether it ended and what its next attempt charges. */
export interface ScheduleProgress {
  /** The next occurrence's date (null once the schedule stopped). */
  nextRunOn: string | null;
  /** Successful charges so far. */
  paidCount: number;
  /** Attempts a tick is making right now (claimed, not finished). */
  charging: number;
  /** Occurrences declined once, waiting for their retry. */
  awaitingRetry: number;
  /** With an invoice end: the invoice; null when it ends otherwise. */
  invoice: ScheduleInvoice | null;
}

/**
 * Whether the schedule has reached its end, and why. A count end counts successful
 * charges only: a declined or missed occurrence is not a payment, so a schedule of 6
 * payments with one missed takes a seventh occurrence (the client pays what was agreed,
 * once per period). A retry is part of its occurrence and counts nothing extra. A date
 * end waits for the last occurrence's retry (it may still be paid); an invoice end does
 * not: once nothing is open, no retry is wanted.
 */
export function endReached(end: ScheduleEnd, progress: ScheduleProgress): CompletedReason | null {
  if (progress.charging > 0) return null;
  switch (end.kind) {
    case 'never':
      return null;
    case 'count':
      return progress.paidCount >= end.count ? 'count' : null;
    case 'date':
      return progress.awaitingRetry === 0 && (progress.nextRunOn === null || progress.nextRunOn > end.endsOn)
        ? 'date'
        : null;
    case 'invoice_paid':
      return progress.invoice === null || openForSchedule(progress.invoice) === 0 ? 'invoice_paid' : null;
  }
}

/** What an attempt due now does: charge this much, wait for attempts still under way, or end the schedule. */
export type AttemptDecision =
  { kind: 'charge'; amountCents: Cents } | { kind: 'wait' } | { kind: 'end'; reason: CompletedReason };

/**
 * The decision for an attempt at a schedule's occurrence: `retry` is a second attempt at
 * an occurrence already counted among `awaitingRetry`. A schedule with an end never
 * charges beside another attempt under way, so the count and the invoice's balance are
 * always read with every charge before it finished.
 */
export function decideAttempt(
  end: ScheduleEnd,
  amountCents: Cents,
  progress: ScheduleProgress,
  retry: boolean,
): AttemptDecision {
  const reason = endReached(end, progress);
  if (reason) return { kind: 'end', reason };
  if (end.kind === 'never') return { kind: 'charge', amountCents };
  if (progress.charging > 0) return { kind: 'wait' };
  switch (end.kind) {
    case 'count': {
      // A new occurrence waits while a retry might still make the last payment.
      const promised = progress.paidCount + (retry ? 0 : progress.awaitingRetry);
      return promised < end.count ? { kind: 'charge', amountCents } : { kind: 'wait' };
    }
    case 'date':
      // A retry of an occurrence on or before the end date is taken after it.
      return retry || (progress.nextRunOn !== null && progress.nextRunOn <= end.endsOn)
        ? { kind: 'charge', amountCents }
        : { kind: 'wait' };
    case 'invoice_paid':
      // endReached found the invoice with something open.
      return {
        kind: 'charge',
        amountCents: minCents(amountCents, progress.invoice ? openForSchedule(progress.invoice) : ZERO_CENTS),
      };
  }
}
