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
    const day = (d: number) =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 0, d));
    expect(formatDate('2026-01-05')).toBe(day(5));
    // A moment is still shown as the reader's day: 03:00 UTC on the 5th is the 4th in Los Angeles.
    expect(formatDate('2026-01-05T03:00:00.000Z')).toBe(day(4));
  });
});

describe('formatMonth', () => {
  it('names the month itself for a reader west of Greenwich, not the one before', async () => {
    process.env.TZ = 'America/Los_Angeles';
    vi.resetModules();
    const { formatMonth } = await import('./format.ts');
    const named = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(formatMonth('2026-01')).toBe(named.format(Date.UTC(2026, 0, 1)));
    expect(formatMonth('2025-12')).toBe(named.format(Date.UTC(2025, 11, 1)));
  });
});

describe('setFirmTimeZone', () => {
  it("shows moments on the firm's calendar and clock, naming the zone when it is not the reader's", async () => {
    process.env.TZ = 'America/New_York';
    vi.resetModules();
    const { formatDate, formatDateTime, setFirmTimeZone } = await import('./format.ts');
    const moment = '2027-01-01T03:30:00.000Z';
    const newYork = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'America/New_York' }).format(new Date(moment));
    expect(formatDate(moment)).toBe(newYork({ dateStyle: 'medium' }));
    setFirmTimeZone('America/Los_Angeles');
    const la = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'America/Los_Angeles' }).format(new Date(moment));
    // 03:30 UTC on 1 January is New Year's Eve in Los Angeles, and the firm's day is the one shown.
    expect(formatDate(moment)).toBe(la({ dateStyle: 'medium' }));
    expect(formatDate(moment)).toMatch(/2026/);
    expect(formatDateTime(moment)).toBe(
      la({
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
    );
    expect(formatDateTime(moment)).toMatch(/PST/);
    // A calendar date still names its own day.
    expect(formatDate('2026-01-05')).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5)),
    );
    setFirmTimeZone('America/New_York');
    expect(formatDateTime(moment)).toBe(newYork({ dateStyle: 'medium', timeStyle: 'short' }));
  });
});

describe('durations', () => {
  it('ticks a wait in at most two units, the smaller padded', async () => {
    const { formatDuration } = await import('./format.ts');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42.9)).toBe('42 s');
    expect(formatDuration(60)).toBe('1 min 00 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3600 * 2 + 4 * 60 + 59)).toBe('2 h 04 min');
    expect(formatDuration(86_400 * 3 + 3600 * 2 + 5)).toBe('3 d 2 h');
    // A clock a little behind the server's never shows a negative wait.
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('gives a measured time a decimal only while it is short', async () => {
    const { formatSeconds } = await import('./format.ts');
    expect(formatSeconds(0.84)).toBe('0.8 s');
    expect(formatSeconds(0.04)).toBe('under 0.1 s');
    expect(formatSeconds(0)).toBe('under 0.1 s');
    expect(formatSeconds(1)).toBe('1.0 s');
    expect(formatSeconds(9.96)).toBe('10 s');
    expect(formatSeconds(12.4)).toBe('12 s');
    expect(formatSeconds(119.4)).toBe('119 s');
    expect(formatSeconds(150)).toBe('2 min 30 s');
    expect(formatSeconds(600)).toBe('10 min');
  });

  it("says how long ago something happened in the reader's words", async () => {
    const { formatAgo } = await import('./format.ts');
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(formatAgo('2026-11-30T11:59:50Z', now)).toBe(
      new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-10, 'second'),
    );
    expect(formatAgo('2026-11-30T09:00:00Z', now)).toBe(
      new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-3, 'hour'),
    );
  });
});

describe('formatDateTimeHalves', () => {
  it('splits a moment into its day and its time, which joined are formatDateTime', async () => {
    process.env.TZ = 'UTC';
    vi.resetModules();
    const { formatDateTime, formatDateTimeHalves, setFirmTimeZone } = await import('./format.ts');
    setFirmTimeZone('America/Chicago');
    const moment = '2026-12-03T08:02:00.000Z';
    const [day, time] = formatDateTimeHalves(moment);
    expect(day + time).toBe(formatDateTime(moment));
    expect(day).toContain('2026');
    expect(time).toMatch(/^2:02/);
    expect(day).not.toMatch(/2:02/);
  });
});
