/**
 * Money is integer cents. Text is turned into cents and back only at the edges, and
 * always through strings or BigInt: a float never holds an amount, because
 * 0.1 + 0.2 !== 0.3 is not something a trust ledger can live with.
 */
export type Cents = number;

export class MoneyError extends Error {
  readonly code = 'invalid_money';

  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`${what} must be a whole number of cents, got ${String(value)}`);
  }
  return value;
}

/**
 * The most one payment, invoice total or allocation may be, in absolute value (SPEC §2):
 * $100,000,000.00. More is refused where it comes in. The bound keeps every sum exact:
 * it takes over 900,000 amounts at the bound to leave the safe-integer range.
 */
export const MAX_AMOUNT_CENTS: Cents = 10_000_000_000;

/** A whole number of cents within MAX_AMOUNT_CENTS either side of zero. */
export function isBoundedAmount(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_AMOUNT_CENTS;
}

/** Says what is wrong with an amount past the bound, naming it. */
export function amountBoundProblem(what: string): string {
  return `${what} must be at most ${formatUsd(MAX_AMOUNT_CENTS)} (${MAX_AMOUNT_CENTS} cents) in absolute value`;
}

/** An exact sum of many amounts: a BigInt cannot round, however many rows it adds. */
export function exactSum(amounts: Iterable<Cents>): bigint {
  let total = 0n;
  for (const amount of amounts) total += BigInt(assertCents(amount));
  return total;
}

/** An exact total as Cents, or null when a JavaScript number cannot hold it exactly. */
export function safeTotal(total: bigint): Cents | null {
  return total >= BigInt(Number.MIN_SAFE_INTEGER) && total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : null;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export function parseMoney(text: string): Cents {
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(describeBadAmount(text));
  const [, sign, whole = '', fraction = ''] = match;
  const cents = BigInt(whole + fraction.padEnd(2, '0'));
  if (cents > MAX_CENTS) {
    throw new MoneyError(`amount "${text}" is too large to be held exactly`);
  }
  const magnitude = Number(cents);
  // '-0.00' is zero, not negative zero, so it compares and serialises like 0.
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}

/** Names the first thing wrong with a string that is not a plain decimal amount. */
function describeBadAmount(text: string): string {
  const shown = JSON.stringify(text);
  if (text.length === 0) return 'amount is empty';
  if (text.trim() !== text) return `amount ${shown} has spaces around it`;
  if (/^-?(nan|infinity)$/i.test(text)) return `amount ${shown} is not a number`;
  if (text.startsWith('+')) return `amount ${shown} has a '+' sign; only '-' is allowed`;
  if (text.includes(',')) return `amount ${shown} has a comma; write 1234.56, not 1,234.56`;
  if (/^-?[\d.]+e[+-]?\d+$/i.test(text)) return `amount ${shown} has an exponent`;
  if (/^-?\d+\.\d{3,}$/.test(text)) return `amount ${shown} has more than two decimal places`;
  return `amount ${shown} is not a decimal like 1234.56`;
}

/** Splits the digits as text: dividing a large number by 100 as a float can round up. */
function splitDigits(cents: Cents): { negative: boolean; whole: string; fraction: string } {
  assertCents(cents);
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return { negative: cents < 0, whole: digits.slice(0, -2), fraction: digits.slice(-2) };
}

export function formatCents(cents: Cents): string {
  const { negative, whole, fraction } = splitDigits(cents);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function formatUsd(cents: Cents): string {
  const { negative, whole, fraction } = splitDigits(cents);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${fraction}`;
}

/**
 * Splits total into `parts` amounts that always sum to it: the remainder cent by cent
 * on the first parts, so no cent is lost or made up. Negative totals split the same way.
 */
export function splitCents(total: Cents, parts: number): Cents[] {
  assertCents(total, 'total');
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new MoneyError(`cannot split into ${String(parts)} parts; need a whole number of at least 1`);
  }
  const magnitude = BigInt(Math.abs(total));
  const count = BigInt(parts);
  const base = magnitude / count;
  const remainder = Number(magnitude % count);
  const sign = total < 0 ? -1 : 1;
  return Array.from({ length: parts }, (_, index) => {
    const part = Number(index < remainder ? base + 1n : base);
    return part === 0 ? 0 : sign * part;
  });
}
