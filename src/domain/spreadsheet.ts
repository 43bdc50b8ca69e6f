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
