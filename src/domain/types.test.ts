import { describe, expect, it } from 'vitest';
import { REASON_TEXT, REASONS } from './types.ts';

describe('REASON_TEXT', () => {
  it('has plain words for every reason, in the order of REASONS', () => {
    expect(Object.keys(REASON_TEXT)).toEqual([...REASONS]);
    for (const reason of REASONS) expect(REASON_TEXT[reason]).toMatch(/^[A-Z][^_]+$/);
  });

  it('reads as an accountant would say it', () => {
    expect(REASON_TEXT.no_invoice_number).toBe('No invoice number was given');
  });
});
