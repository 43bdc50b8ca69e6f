import { formatUsd } from '../../domain/money.ts';
import { dollarsToCents } from './useFilters.ts';

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
