import { describe, expect, it } from 'vitest';
import { upcomingRuns } from './schedule.ts';

describe('upcomingRuns', () => {
  it('steps a week at a time across a month end', () => {
    expect(upcomingRuns('2026-01-28', 'weekly')).toEqual(['2026-01-28', '2026-02-04', '2026-02-11']);
  });

  it('keeps a monthly day, using the last day of a shorter month', () => {
    expect(upcomingRuns('2026-01-31', 'monthly', 4)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('answers nothing for a date not yet typed in full', () => {
    expect(upcomingRuns('', 'monthly')).toEqual([]);
    expect(upcomingRuns('2026-1-5', 'weekly')).toEqual([]);
  });
});
