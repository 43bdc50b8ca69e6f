/** Calendar dates are YYYY-MM-DD strings; no time zone can shift them. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2024-02-30 over to March; a real date survives the round trip.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** YYYY-MM-DD to the MM/DD/YYYY that US accounting imports (Juris) expect. */
export function toUsDate(isoDate: string): string {
  const match = ISO_DATE.exec(isoDate);
  if (!match || !isCalendarDate(isoDate)) throw new RangeError(`${JSON.stringify(isoDate)} is not a YYYY-MM-DD date`);
  return `${match[2]}/${match[3]}/${match[1]}`;
}

function dateParts(isoDate: string): [number, number, number] {
  const match = ISO_DATE.exec(isoDate);
  if (!match || !isCalendarDate(isoDate)) throw new RangeError(`${JSON.stringify(isoDate)} is not a YYYY-MM-DD date`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function isoOf(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The calendar date `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = dateParts(isoDate);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return isoOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/** A month (YYYY-MM) as its first and last calendar dates: 2028-02 is 2028-02-01 to 2028-02-29. */
export function monthDays(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  return { from, to: addDays(`${addMonths(month, 1)}-01`, -1) };
}

/** The month (YYYY-MM) `months` after (or before, when negative) a month. */
export function addMonths(month: string, months: number): string {
  const [y, m] = dateParts(`${month}-01`);
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

// Time zones. A firm's zone is an IANA name (SPEC §2); every calendar date paybridge
// derives from an instant is the date on the firm's wall calendar, never a UTC date.

export const DEFAULT_TIME_ZONE = 'America/New_York';

/** The shape of an IANA name ("America/Los_Angeles", "Etc/GMT+5", "UTC"), not an offset such as "+05:00". */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const MAX_ZONE_LENGTH = 64;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs far more than using one, so each zone gets one, kept. */
function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The IANA name as paybridge keeps it, or null when the zone is unknown. Node's Intl
 * knows the IANA database (and its aliases, such as "US/Pacific"); a name that differs
 * only in case from a known one is spelled the known way.
 */
export function timeZoneName(text: string): string | null {
  if (text.length === 0 || text.length > MAX_ZONE_LENGTH || !ZONE_NAME.test(text)) return null;
  let resolved: string;
  try {
    resolved = wallFormatter(text).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  const lower = text.toLowerCase();
  if (resolved.toLowerCase() === lower) return resolved;
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === lower) ?? text;
}

export function isTimeZone(text: string): boolean {
  return timeZoneName(text) !== null;
}

/** en-US with h23, as Node's ICU writes it: "12/31/2026, 19:30:00". */
const US_WALL = /^(\d{2})\/(\d{2})\/(\d+), (\d{2}):(\d{2}):(\d{2})$/;

/** The wall clock of an instant in a zone, to the second, as the milliseconds Date.UTC would give it. */
function wallClock(at: number, timeZone: string): { date: string; wallMs: number } {
  const formatter = wallFormatter(timeZone);
  // format() and a pattern take half the time of formatToParts(), which is kept for any
  // engine that writes the string another way.
  const match = US_WALL.exec(formatter.format(at));
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  if (match) {
    const [month, day, year, hour, minute, second] = match.slice(1).map(Number);
    Object.assign(parts, { month, day, year, hour, minute, second });
  } else {
    for (const part of formatter.formatToParts(at)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
  }
  const [y, m, d] = [parts.year ?? NaN, parts.month ?? NaN, parts.day ?? NaN];
  const wallMs = Date.UTC(y, m - 1, d, parts.hour ?? NaN, parts.minute ?? NaN, parts.second ?? NaN);
  if (Number.isNaN(wallMs)) throw new RangeError(`no wall clock for ${new Date(at).toISOString()} in ${timeZone}`);
  return { date: isoOf(y, m, d), wallMs };
}

function dateAt(at: number, timeZone: string): string {
  return wallClock(at, timeZone).date;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (whole seconds). */
function offsetAt(at: number, timeZone: string): number {
  return wallClock(at, timeZone).wallMs - Math.floor(at / 1000) * 1000;
}

/**
 * The first instant of a calendar day in a zone: midnight on the zone's wall clock, or,
 * on a day whose midnight the clocks skip (a DST change at 00:00, as in Santiago), the
 * moment the day begins. A day is 23, 24 or 25 hours long; `to` in a date filter is
 * inclusive, so it ends at dayStartIn(addDays(to, 1)).
 */
export function dayStartIn(isoDate: string, timeZone: string): Date {
  const [y, m, d] = dateParts(isoDate);
  const midnight = Date.UTC(y, m - 1, d);
  // Usually midnight less the offset in force then: the offset near midnight, checked once more.
  const first = offsetAt(midnight, timeZone);
  let guess = midnight - first;
  const second = offsetAt(guess, timeZone);
  if (second !== first) guess = midnight - second;
  if (dateAt(guess, timeZone) === isoDate && dateAt(guess - 1, timeZone) < isoDate) return new Date(guess);
  // Midnight does not exist that day: find the first second whose date is the day's.
  // Offsets lie within -12h..+14h and clocks jump by at most a few hours.
  let lo = Math.floor((midnight - 16 * 3600_000) / 1000);
  let hi = Math.ceil((midnight + 16 * 3600_000) / 1000);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (dateAt(mid * 1000, timeZone) >= isoDate) hi = mid;
    else lo = mid + 1;
  }
  return new Date(lo * 1000);
}

/** The last day looked up in each zone: rows come sorted by time, so most share their neighbour's day. */
const lastDay = new Map<string, { date: string; start: number; end: number }>();

/** The calendar date (YYYY-MM-DD) on the zone's wall calendar at an instant. */
export function calendarDateIn(at: Date, timeZone: string): string {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('an invalid Date has no calendar date');
  const known = lastDay.get(timeZone);
  if (known && t >= known.start && t < known.end) return known.date;
  const date = dateAt(t, timeZone);
  const start = dayStartIn(date, timeZone).getTime();
  const end = dayStartIn(addDays(date, 1), timeZone).getTime();
  // Only a day the instant lies in is remembered (one repeated by a fall-back at midnight is not).
  if (t >= start && t < end) lastDay.set(timeZone, { date, start, end });
  return date;
}

/**
 * The date a record's batch file gives it (SPEC §5 posting_date): the payment's date, or
 * with the firm's "use posted date" setting the day it is posted; both in the firm's zone.
 */
export function postingDateOf(processedAt: Date, postedAt: Date | null, timeZone: string): string {
  return calendarDateIn(postedAt ?? processedAt, timeZone);
}

/**
 * A record's postingDate (SPEC §9): once it is in a batch, the date its file gave it;
 * before that, the date it would get if it were posted now.
 */
export function recordPostingDate(
  processedAt: Date,
  batch: { timeZone: string; postingDate: string | null } | null,
  firm: { timeZone: string; usePostedDate: boolean },
  now: Date,
): string {
  if (batch) return batch.postingDate ?? calendarDateIn(processedAt, batch.timeZone);
  return postingDateOf(processedAt, firm.usePostedDate ? now : null, firm.timeZone);
}
