import { afterAll, describe, expect, it } from 'vitest';

// West of Greenwich, where reading 2026-01-05 as midnight UTC would show January 4.
const before = process.env.TZ;
process.env.TZ = 'America/New_York';
const { formatDate } = await import('./format.ts');
afterAll(() => {
  process.env.TZ = before;
});

describe('formatDate', () => {
  it('shows a calendar date as the day it names, whatever the time zone', () => {
    expect(formatDate('2026-01-05')).toMatch(/Jan 5, 2026|5 Jan 2026/);
    expect(formatDate('2026-03-01')).toMatch(/Mar 1, 2026|1 Mar 2026/);
  });

  it('shows a timestamp on its day in the local time zone', () => {
    // 02:00 UTC on the 5th is still the evening of the 4th in New York.
    expect(formatDate('2026-01-05T02:00:00.000Z')).toMatch(/Jan 4, 2026|4 Jan 2026/);
  });
});
