import { calendarDateIn } from './dates.ts';
import { assertCents } from './money.ts';

/**
 * What a spreadsheet program would read as the start of a formula (or, for tab and CR,
 * what some programs strip before doing so). Payer names and memos are typed by the
 * public, so a payer called `=HYPERLINK(…)` must arrive in Excel as text, not as a link.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Makes text safe for a spreadsheet cell by prefixing a single quote to anything that
 * could start a formula (OWASP's CSV-injection advice). The quote is part of the text,
 * so the cell still shows the whole original value after it.
 */
export function safeCellText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Excel's own dollar format, with the minus sign before the dollar sign. */
export const CURRENCY_FORMAT = '"$"#,##0.00;-"$"#,##0.00';

export const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * Dollars for a numeric cell. Excel holds every number as a double anyway, so the
 * nearest double to the exact decimal is the best a cell can hold; this is only ever
 * a display value, never money that is computed with again.
 */
export function centsToDollars(amount: number): number {
  return assertCents(amount) / 100;
}

/** "visa ending 4242", "eCheck ending 6789": never more of the number than the last 4. */
export function paymentMethodText(p: { method: string; cardBrand: string | null; last4: string | null }): string {
  const name = p.method === 'echeck' ? 'eCheck' : (p.cardBrand ?? 'card');
  return p.last4 ? `${name} ending ${p.last4}` : name;
}

/** How a column's values become cells; text is always made formula-safe. */
export type XlsxColumn<T> =
  | { header: string; width: number; kind: 'text'; value: (row: T) => string | null }
  | { header: string; width: number; kind: 'money'; value: (row: T) => number }
  | { header: string; width: number; kind: 'date'; value: (row: T) => Date }
  | { header: string; width: number; kind: 'number'; value: (row: T) => number | null };

/**
 * An instant as a date cell: the day it was in the firm's time zone, as the lists filter
 * by. Excel dates have no zone; ExcelJS writes a Date by its UTC fields, so the cell is
 * that day's UTC midnight.
 */
export function firmDayCell(iso: string, timeZone: string): Date {
  return new Date(`${calendarDateIn(new Date(iso), timeZone)}T00:00:00.000Z`);
}

/** `postings-pending_incomplete-2026-11-27.xlsx`: what, which view, and the day it was made in the firm's zone. */
export function exportFileName(parts: string[], now: Date, timeZone: string): string {
  return `${[...parts, calendarDateIn(now, timeZone)].join('-')}.xlsx`;
}
