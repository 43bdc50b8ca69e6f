const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
};

/** "Visa ending in 4242", "eCheck from the bank account ending in 6789": what a receipt says was charged. */
export function paidWithText(method: 'card' | 'echeck', brand: string, last4: string): string {
  if (method === 'echeck') return `eCheck from the bank account ending in ${last4}`;
  const name = BRANDS[brand.toLowerCase()] ?? (brand ? brand[0]!.toUpperCase() + brand.slice(1) : 'Card');
  return `${name} ending in ${last4}`;
}

export const ACCOUNT_TEXT = { operating: 'Operating account', trust: 'Trust account' } as const;

/** Ends a sentence with a name or phrase: "Harold Finney Jr." takes no second period. */
export function endSentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
