import { afterEach, describe, expect, it, vi } from 'vitest';

const zone = process.env.TZ;
afterEach(() => {
  process.env.TZ = zone;
  vi.resetModules();
});

describe('formatDate', () => {
  it("shows an invoice's calendar date as the day it names for a reader west of Greenwich", async () => {
    process.env.TZ = 'America/Los_Angeles';
    vi.resetModules();
    const { formatDate } = await import('./format.ts');
    const day = (d: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 0, d));
    expect(formatDate('2026-01-05')).toBe(day(5));
    // A moment is still shown as the reader's day: 03:00 UTC on the 5th is the 4th in Los Angeles.
    expect(formatDate('2026-01-05T03:00:00.000Z')).toBe(day(4));
  });
});
