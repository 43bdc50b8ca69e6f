import { formatUsd, parseMoney } from '../../domain/money.ts';

/** Dollars typed by a person to exact cents, or an error to show; '$1,234.5' is forgiven its '$' and commas. */
export function dollarsToCents(text: string): { cents?: number; error?: string } {
  const cleaned = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (!cleaned) return {};
  try {
    return { cents: parseMoney(cleaned) };
  } catch {
    return { error: 'Enter an amount like 1234.56' };
  }
}

/** Cents as a person would type them back: 123450 → '1234.50' (an editable amount's starting text). */
export function centsToDollars(cents: number): string {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * An amount staff must type (a payment, a link, a schedule): exact cents more than zero,
 * or what to tell them. '$1,234.50' is read as 123450; floats never touch it.
 */
export function requiredAmount(
  text: string,
): { cents: number; error?: undefined } | { cents?: undefined; error: string } {
  const { cents, error } = dollarsToCents(text);
  if (error) return { error };
  if (cents === undefined) return { error: 'Enter the amount.' };
  if (cents <= 0) return { error: 'The amount must be more than $0.00.' };
  return { cents };
}

/** "$12.50" for a valid amount, or the given fallback while the text is not one yet. */
export function amountLabel(text: string, fallback = ''): string {
  const { cents } = requiredAmount(text);
  return cents === undefined ? fallback : formatUsd(cents);
}
