/**
 * Money is integer cents. Text is turned into cents and back only at the edges, and
 * always through strings or BigInt: a float never holds an amount, because
 * 0.1 + 0.2 !== 0.3 is not something a trust ledger can live with.
 */
declare const centsBrand: unique symbol;

/**
 * A whole number of cents. The brand is a compile-time mark only: a plain number becomes
 * Cents through assertCents/cents (or the money helpers below, which return checked
 * Cents), so an unchecked number cannot reach a parameter declared as money.
 */
export type Cents = number & { readonly [centsBrand]: 'Cents' };

export class MoneyError extends Error {
  readonly code = 'invalid_money';

  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** The guard every Cents goes through: throws MoneyError on a fraction, NaN, an infinity or an unsafe integer. */
export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`${what} must be a whole number of cents, got ${String(value)}`);
  }
  // The one place a number is declared Cents: just checked above.
  return value as Cents;
}

/** A Cents constant or edge value, checked (an alias of assertCents for reading ease). */
export const cents = assertCents;

/** Zero cents. */
export const ZERO_CENTS: Cents = cents(0);

/** a + b, checked: the sum of two amounts is still a whole number of cents, or it throws. */
export function addCents(a: Cents, b: Cents): Cents {
  return assertCents(a + b, 'sum');
}

/** a - b, checked. */
export function subtractCents(a: Cents, b: Cents): Cents {
  return assertCents(a - b, 'difference');
}

/** -a, checked; zero stays 0, never -0 (it would print as "0.00" but compare oddly in tests and JSON). */
export function negateCents(a: Cents): Cents {
  return assertCents(a === 0 ? 0 : -a, 'amount');
}

/** The smaller of two amounts. */
export function minCents(a: Cents, b: Cents): Cents {
  return a <= b ? a : b;
}

/** The larger of two amounts. */
export function maxCents(a: Cents, b: Cents): Cents {
  return a >= b ? a : b;
}

/** The sum of amounts as Cents, exact (through BigInt); throws when a number cannot hold it. */
export function sumCents(amounts: Iterable<Cents>): Cents {
  const total = safeTotal(exactSum(amounts));
  if (total === null) throw new MoneyError('the sum is too large to be held exactly');
  return total;
}

/**
 * The most one payment, invoice total or allocation may be, in absolute value (SPEC §2):
 * $100,000,000.00. More is refused where it comes in. The bound keeps every sum exact:
 * it takes over 900,000 amounts at the bound to leave the safe-integer range.
 */
export const MAX_AMOUNT_CENTS: Cents = cents(10_000_000_000);

/** A whole number of cents within MAX_AMOUNT_CENTS either side of zero. */
export function isBoundedAmount(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_AMOUNT_CENTS;
}

/** Says what is wrong with an amount past the bound, naming it. */
export function amountBoundProblem(what: string): string {
  return `${what} must be at most ${formatUsd(MAX_AMOUNT_CENTS)} (${MAX_AMOUNT_CENTS} cents) in absolute value`;
}

/** An exact sum of many amounts: a BigInt cannot round, however many rows it adds. */
export function exactSum(amounts: Iterable<number>): bigint {
  let total = 0n;
  for (const amount of amounts) total += BigInt(assertCents(amount));
  return total;
}

/** An exact total as Cents, or null when a JavaScript number cannot hold it exactly. */
export function safeTotal(total: bigint): Cents | null {
  return total >= BigInt(Number.MIN_SAFE_INTEGER) && total <= BigInt(Number.MAX_SAFE_INTEGER)
    ? cents(Number(total))
    : null;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export function parseMoney(text: string): Cents {
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(describeBadAmount(text));
  const [, sign, whole = '', fraction = ''] = match;
  const digits = BigInt(whole + fraction.padEnd(2, '0'));
  if (digits > MAX_CENTS) {
    throw new MoneyError(`amount "${text}" is too large to be held exactly`);
  }
  const magnitude = Number(digits);
  // '-0.00' is zero, not negative zero, so it compares and serialises like 0.
  return cents(sign === '-' && magnitude !== 0 ? -magnitude : magnitude);
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
function splitDigits(amount: number): { negative: boolean; whole: string; fraction: string } {
  const checked = assertCents(amount);
  const digits = String(Math.abs(checked)).padStart(3, '0');
  return { negative: checked < 0, whole: digits.slice(0, -2), fraction: digits.slice(-2) };
}

/** Formats any number as cents, checking it (so the web and files may pass a wire number). */
export function formatCents(amount: number): string {
  const { negative, whole, fraction } = splitDigits(amount);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function formatUsd(amount: number): string {
  const { negative, whole, fraction } = splitDigits(amount);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${fraction}`;
}

/**
 * `bps` basis points of a non-negative amount (300 = 3%), in whole cents rounded half up,
 * computed in BigInt so no float ever holds the amount: 10,001 cents at 300 bps is
 * 300.03 → 300 cents; 50 cents at 100 bps is 0.5 → 1 cent.
 */
export function basisPointsOf(amount: Cents, bps: number): Cents {
  assertCents(amount, 'amount');
  if (amount < 0) throw new MoneyError(`a rate is taken of a positive amount, not ${amount}`);
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000)
    throw new MoneyError(`basis points must be 0 to 10000, not ${bps}`);
  return cents(Number((BigInt(amount) * BigInt(bps) + 5_000n) / 10_000n), 'rate');
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
    return cents(part === 0 ? 0 : sign * part);
  });
}
