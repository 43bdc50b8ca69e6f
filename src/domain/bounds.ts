/**
 * What text and dates paybridge takes in (SPEC §2): the server's request schemas and the
 * agent's sources ask these, so a value the server would refuse is named where it is
 * found. The bound on amounts sits beside the cents helpers, in money.ts.
 */

/** The years a date or instant may fall in; outside them it is a typo or an attack, never a payment. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// With the u flag a paired surrogate is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;
const LINE_SEPARATORS = /[\u2028\u2029]/;

/**
 * The first thing wrong with a text a client or the MMS sends, or null. Control characters
 * would end up in the MMS file, which keeps text exactly; an unpaired surrogate cannot be
 * stored as UTF-8 (PostgreSQL would refuse it or rewrite it as U+FFFD); U+2028 and U+2029
 * break lines in the places that show the text. A memo may keep its line breaks (LF or
 * CRLF), and nothing else of that kind.
 */
export function textProblem(value: string, options: { lineBreaks?: boolean } = {}): string | null {
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate';
  if (LINE_SEPARATORS.test(value)) return 'must not contain U+2028 or U+2029 (a line or paragraph separator)';
  if (CONTROL.test(options.lineBreaks ? value.replace(/\r?\n/g, '') : value)) {
    return options.lineBreaks
      ? 'must not contain control characters other than line breaks'
      : 'must not contain control characters';
  }
  return null;
}

/**
 * Whether textProblem finds nothing in a text that may not keep line breaks, in one regular
 * expression: the sync's fast path asks it of every name and number it takes in.
 */
// eslint-disable-next-line no-control-regex
const ANY_TEXT_PROBLEM = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\p{Cs}/u;
export function isPlainText(value: string): boolean {
  return !ANY_TEXT_PROBLEM.test(value);
}

const yearsText = `${MIN_YEAR} to ${MAX_YEAR}`;

/** Whether a YYYY-MM-DD (already known to be a calendar date) falls in the years taken. */
export function isDateInRange(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  return isoDate.length === 10 && year >= MIN_YEAR && year <= MAX_YEAR;
}

export const DATE_RANGE_PROBLEM = `must be a date in the years ${yearsText}`;

/** Whether an instant falls in the years taken, in UTC (where it is stored). */
export function isInstantInRange(at: Date): boolean {
  const year = at.getUTCFullYear();
  return !Number.isNaN(at.getTime()) && year >= MIN_YEAR && year <= MAX_YEAR;
}

export const INSTANT_RANGE_PROBLEM = `must be an instant in the years ${yearsText} (UTC)`;
