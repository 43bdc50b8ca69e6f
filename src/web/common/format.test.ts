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

describe('setFirmTimeZone', () => {
  it("shows moments on the firm's calendar and clock, naming the zone when it is not the reader's", async () => {
    process.env.TZ = 'America/New_York';
    vi.resetModules();
    const { formatDate, formatDateTime, setFirmTimeZone } = await import('./format.ts');
    const moment = '2027-01-01T03:30:00.000Z';
    const newYork = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'America/New_York' }).format(new Date(moment));
    expect(formatDate(moment)).toBe(newYork({ dateStyle: 'medium' }));
    setFirmTimeZone('America/Los_Angeles');
    const la = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'America/Los_Angeles' }).format(new Date(moment));
    // 03:30 UTC on 1 January is New Year's Eve in Los Angeles, and the firm's day is the one shown.
    expect(formatDate(moment)).toBe(la({ dateStyle: 'medium' }));
    expect(formatDate(moment)).toMatch(/2026/);
    expect(formatDateTime(moment)).toBe(la({ year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }));
    expect(formatDateTime(moment)).toMatch(/PST/);
    // A calendar date still names its own day.
    expect(formatDate('2026-01-05')).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5)));
    setFirmTimeZone('America/New_York');
    expect(formatDateTime(moment)).toBe(newYork({ dateStyle: 'medium', timeStyle: 'short' }));
  });
});
