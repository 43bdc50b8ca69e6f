import { addDays } from './dates.ts';

/**
 * Run dates of a payment schedule, as YYYY-MM-DD calendar dates (no time zone can shift
 * them). A monthly schedule keeps its anchor day: one started on the 31st runs on the
 * last day of shorter months and goes back to the 31st when a month has one.
 */
export type Frequency = 'weekly' | 'monthly';

function parts(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`${date} is not a YYYY-MM-DD date`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function nextRunDate(current: string, frequency: Frequency, anchorDay: number): string {
  const { y, m } = parts(current);
  if (frequency === 'weekly') return addDays(current, 7);
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  return iso(ny, nm, Math.min(anchorDay, daysIn(ny, nm)));
}

/** The day of the month a schedule keeps: its first run's. */
export function anchorDayOf(startOn: string): number {
  return parts(startOn).d;
}
