import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  calendarDateIn,
  dayStartIn,
  isCalendarDate,
  isTimeZone,
  monthDays,
  postingDateOf,
  timeZoneName,
  toUsDate,
} from './dates.ts';

describe('isCalendarDate', () => {
  it.each(['2025-03-14', '2024-02-29', '2000-12-31'])('accepts %s', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-04-31', '2025-3-14', '14/03/2025', '2025-03-14T00:00:00Z', ''])(
    'refuses %j',
    (text) => {
      expect(isCalendarDate(text)).toBe(false);
    },
  );
});

describe('toUsDate', () => {
  it('writes MM/DD/YYYY', () => {
    expect(toUsDate('2025-03-04')).toBe('03/04/2025');
  });

  it('refuses what is not a date', () => {
    expect(() => toUsDate('2025-02-30')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('crosses month, year and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
  });
});

describe('calendarDateIn', () => {
  it('puts 7:30 pm Pacific on 31 December in the old year (SPEC §2)', () => {
    const at = new Date('2027-01-01T03:30:00Z');
    expect(calendarDateIn(at, 'America/Los_Angeles')).toBe('2026-12-31');
    expect(calendarDateIn(at, 'America/New_York')).toBe('2026-12-31');
    expect(calendarDateIn(at, 'UTC')).toBe('2027-01-01');
    expect(calendarDateIn(at, 'Asia/Tokyo')).toBe('2027-01-01');
  });

  it('turns the day at local midnight, in standard and in daylight time', () => {
    const la = 'America/Los_Angeles';
    // PST is UTC-8 in January, PDT UTC-7 in July.
    expect(calendarDateIn(new Date('2026-01-15T07:59:59.999Z'), la)).toBe('2026-01-14');
    expect(calendarDateIn(new Date('2026-01-15T08:00:00Z'), la)).toBe('2026-01-15');
    expect(calendarDateIn(new Date('2026-07-15T06:59:59.999Z'), la)).toBe('2026-07-14');
    expect(calendarDateIn(new Date('2026-07-15T07:00:00Z'), la)).toBe('2026-07-15');
  });

  it('gives the same answer whichever order the instants come in', () => {
    const instants = [
      '2026-03-08T07:59:59Z',
      '2026-03-08T08:00:00Z',
      '2026-03-09T06:59:59Z',
      '2026-03-09T07:00:00Z',
    ].map((s) => new Date(s));
    const forward = instants.map((at) => calendarDateIn(at, 'America/Los_Angeles'));
    const backward = [...instants]
      .reverse()
      .map((at) => calendarDateIn(at, 'America/Los_Angeles'))
      .reverse();
    expect(forward).toEqual(['2026-03-07', '2026-03-08', '2026-03-08', '2026-03-09']);
    expect(backward).toEqual(forward);
  });

  it('refuses an invalid Date', () => {
    expect(() => calendarDateIn(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('dayStartIn', () => {
  it('is local midnight as an instant', () => {
    expect(dayStartIn('2026-12-31', 'America/Los_Angeles').toISOString()).toBe('2026-12-31T08:00:00.000Z');
    expect(dayStartIn('2026-07-04', 'America/New_York').toISOString()).toBe('2026-07-04T04:00:00.000Z');
    expect(dayStartIn('2026-07-04', 'Asia/Kolkata').toISOString()).toBe('2026-07-03T18:30:00.000Z');
    expect(dayStartIn('2026-07-04', 'UTC').toISOString()).toBe('2026-07-04T00:00:00.000Z');
  });

  it('makes the spring-forward day 23 hours and the fall-back day 25 in Los Angeles', () => {
    const hours = (date: string, zone: string) =>
      (dayStartIn(addDays(date, 1), zone).getTime() - dayStartIn(date, zone).getTime()) / 3600_000;
    expect(hours('2026-03-08', 'America/Los_Angeles')).toBe(23);
    expect(hours('2026-11-01', 'America/Los_Angeles')).toBe(25);
    expect(hours('2026-11-02', 'America/Los_Angeles')).toBe(24);
    // Lord Howe Island moves its clocks by half an hour.
    expect(hours('2026-04-05', 'Australia/Lord_Howe')).toBe(24.5);
  });

  it('starts a day whose midnight the clocks skip at the moment they skip to', () => {
    // Santiago springs forward at 00:00 on the first Sunday of September 2026: 00:00 -04 is 01:00 -03.
    const start = dayStartIn('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(calendarDateIn(start, 'America/Santiago')).toBe('2026-09-06');
    expect(calendarDateIn(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });

  it('holds for any instant in any zone: the day it falls on starts at or before it and ends after it', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const fresh = (at: number, zone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        at,
      );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2999, 11, 31) }),
        fc.constantFrom(...zones),
        (t, zone) => {
          const date = calendarDateIn(new Date(t), zone);
          expect(date).toBe(fresh(t, zone));
          const start = dayStartIn(date, zone).getTime();
          const end = dayStartIn(addDays(date, 1), zone).getTime();
          expect(start).toBeLessThanOrEqual(t);
          expect(end).toBeGreaterThan(t);
          expect(fresh(start, zone)).toBe(date);
          expect(fresh(start - 1, zone) < date).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('time zone names', () => {
  it.each([
    'America/Los_Angeles',
    'America/New_York',
    'America/Chicago',
    'Europe/London',
    'Asia/Kolkata',
    'UTC',
    'Etc/GMT+5',
  ])('knows %s', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
    expect(timeZoneName(zone)).toBe(zone);
  });

  it('spells a name the known way when only its case differs', () => {
    expect(timeZoneName('america/los_angeles')).toBe('America/Los_Angeles');
    expect(timeZoneName('utc')).toBe('UTC');
  });

  it.each(['Mars/Phobos', 'America/Springfield', '+05:00', 'EST 5', '', 'America/', '../etc/passwd', 'x'.repeat(65)])(
    'refuses %j',
    (zone) => {
      expect(isTimeZone(zone)).toBe(false);
      expect(timeZoneName(zone)).toBeNull();
    },
  );
});

describe('postingDateOf', () => {
  const processedAt = new Date('2027-01-01T03:30:00Z');

  it('is the payment date in the firm zone', () => {
    expect(postingDateOf(processedAt, null, 'America/Los_Angeles')).toBe('2026-12-31');
  });

  it('is the day of posting, in the firm zone, with "use posted date"', () => {
    expect(postingDateOf(processedAt, new Date('2027-01-03T06:00:00Z'), 'America/Los_Angeles')).toBe('2027-01-02');
  });
});

describe('months', () => {
  it('steps across years both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(addMonths('2026-05', 0)).toBe('2026-05');
  });

  it('gives a month its first and last days, leap Februaries included', () => {
    expect(monthDays('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthDays('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthDays('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('refuses what is not a month', () => {
    expect(() => addMonths('2026-13', 1)).toThrow(RangeError);
  });
});
