import { describe, expect, it } from 'vitest';
import { isCalendarDate, toUsDate } from './dates.ts';

describe('isCalendarDate', () => {
  it.each(['2025-03-14', '2024-02-29', '2000-12-31'])('accepts %s', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-04-31', '2025-3-14', '14/03/2025', '2025-03-14T00:00:00Z', ''])('refuses %j', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });
});

describe('toUsDate', () => {
  it('writes MM/DD/YYYY', () => {
    expect(toUsDate('2025-03-04')).toBe('03/04/2025');
  });

  it('refuses what is not a date', () => {
    expect(() => toUsDate('2025-02-30')).toThrow(RangeError);
  });
});
