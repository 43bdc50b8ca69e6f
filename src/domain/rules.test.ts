import { describe, expect, it } from 'vitest';
import { createsPostingRecord } from './rules.ts';
import { ORIGINS, type Origin } from './types.ts';

describe('createsPostingRecord', () => {
  const table: [Origin, boolean | null, boolean][] = [
    ['connect', null, true],
    ['connect', false, true],
    ['payment_page', true, true],
    ['payment_page', false, false],
    ['payment_page', null, false],
    ['enter_payment', null, false],
    ['enter_payment', true, false],
    ['payment_schedule', true, false],
    ['quick_link', true, false],
  ];

  it.each(table)('%s with the page box %s → %s', (origin, box, expected) => {
    expect(createsPostingRecord(origin, box)).toBe(expected);
  });

  it('covers every origin', () => {
    expect(new Set(table.map(([origin]) => origin))).toEqual(new Set(ORIGINS));
  });
});
