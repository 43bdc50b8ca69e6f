import { describe, expect, it } from 'vitest';
import { anchorDayOf, nextRunDate } from './schedule-dates.ts';

describe('nextRunDate', () => {
  it('adds a week across month and year ends', () => {
    expect(nextRunDate('2026-01-28', 'weekly', 28)).toBe('2026-02-04');
    expect(nextRunDate('2026-12-29', 'weekly', 29)).toBe('2027-01-05');
  });

  it('keeps a monthly anchor day, on the last day of shorter months', () => {
    expect(nextRunDate('2026-01-31', 'monthly', 31)).toBe('2026-02-28');
    expect(nextRunDate('2026-02-28', 'monthly', 31)).toBe('2026-03-31');
    expect(nextRunDate('2028-01-30', 'monthly', 30)).toBe('2028-02-29');
    expect(nextRunDate('2026-12-15', 'monthly', 15)).toBe('2027-01-15');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => nextRunDate('2026-1-1', 'weekly', 1)).toThrow(/YYYY-MM-DD/);
  });
});

describe('anchorDayOf', () => {
  it('is the day of the month of the first run', () => {
    expect(anchorDayOf('2026-01-31')).toBe(31);
    expect(anchorDayOf('2026-02-05')).toBe(5);
  });

  it('refuses a value that is not a date', () => {
    expect(() => anchorDayOf('2026-2-5')).toThrow(RangeError);
  });
});
