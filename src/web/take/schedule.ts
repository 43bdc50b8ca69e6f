import { nextRunDate, type Frequency } from '../../domain/schedule-dates.ts';
import { plural } from '../../domain/plural.ts';

/**
 * The first few run dates of a schedule starting on `startOn`, by the server's own rule:
 * a monthly schedule keeps its day, or the last day of a shorter month.
 */
export function upcomingRuns(startOn: string, interval: Frequency, count = 3): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startOn)) return [];
  const anchorDay = Number(startOn.slice(8, 10));
  const runs = [startOn];
  while (runs.length < count) runs.push(nextRunDate(runs.at(-1)!, interval, anchorDay));
  return runs;
}

/** How a schedule ends, as the New payment schedule form asks it. */
export type EndChoice = 'never' | 'count' | 'date' | 'invoice';

export const END_OPTIONS: { value: EndChoice; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: 'count', label: 'After N payments' },
  { value: 'date', label: 'On a date' },
  { value: 'invoice', label: 'When the invoice is paid' },
];

export interface EndDraft {
  end: EndChoice;
  /** The count of payments, as typed. */
  count: string;
  endsOn: string;
  /** The invoice picked, for an end with the invoice. */
  invoiceNumber: string | null;
}

/** The part of the request that says how the schedule ends. */
export type EndBody =
  | Record<string, never>
  | { endAfterCount: number }
  | { endsOn: string }
  | { untilInvoicePaid: true; invoiceNumber: string };

/**
 * The end as the API takes it, or what stops the form: a whole count of 1 or more, an end
 * date no earlier than the first charge, an invoice picked, paid into operating.
 */
export function endBody(
  draft: EndDraft,
  startOn: string,
  account: 'operating' | 'trust',
): { body: EndBody } | { problem: string } {
  switch (draft.end) {
    case 'never':
      return { body: {} };
    case 'count': {
      const count = Number(draft.count.trim());
      if (!/^\d+$/.test(draft.count.trim()) || count < 1 || count > 1000)
        return { problem: 'Enter how many payments, 1 to 1000.' };
      return { body: { endAfterCount: count } };
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.endsOn)) return { problem: 'Enter the end date.' };
      if (draft.endsOn < startOn) return { problem: 'The end date cannot be before the first charge.' };
      return { body: { endsOn: draft.endsOn } };
    case 'invoice':
      if (!draft.invoiceNumber) return { problem: 'Pick the invoice the schedule pays.' };
      if (account !== 'operating') return { problem: 'A schedule that pays an invoice goes to the operating account.' };
      return { body: { untilInvoicePaid: true, invoiceNumber: draft.invoiceNumber } };
  }
}

interface ScheduleEndFacts {
  endAfterCount: number | null;
  endsOn: string | null;
  invoiceNumber: string | null;
  paymentsMade: number;
}

/** "3 of 6", or "3" for a schedule that does not end by count. */
export function paymentsText(s: ScheduleEndFacts): string {
  return s.endAfterCount === null ? String(s.paymentsMade) : `${s.paymentsMade} of ${s.endAfterCount}`;
}

/** How the schedule ends, in words (dates as the screen shows them, through `date`). */
export function endText(s: ScheduleEndFacts, date: (iso: string) => string): string {
  if (s.endAfterCount !== null) return `After ${plural(s.endAfterCount, 'payment')}`;
  if (s.endsOn !== null) return `On ${date(s.endsOn)}`;
  if (s.invoiceNumber !== null) return `When ${s.invoiceNumber} is paid`;
  return 'Never';
}

const COMPLETED_WORDS: Record<'count' | 'date' | 'invoice_paid', string> = {
  count: 'all its payments made',
  date: 'its end date passed',
  invoice_paid: 'the invoice is paid',
};

/** Why a completed schedule stopped. */
export function completedText(reason: 'count' | 'date' | 'invoice_paid'): string {
  return COMPLETED_WORDS[reason];
}
