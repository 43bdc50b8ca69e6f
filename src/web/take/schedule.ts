import { nextRunDate, type Frequency } from '../../domain/schedule-dates.ts';

/**
 * The first few run dates of a schedule starting on `startOn`, by the server's own rule:
 * a monthly schedule keeps its day, or the last day of a shorter month.
 */
export function upcomingRuns(startOn: string, interval: Frequency, count = 3): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startOn)) return [];
  const anchorDay = Number(startOn.slice(8, 10));
  const runs = [startOn];
  while (runs.length < count) runs.push(nextRunDate(runs.at(-1)!, interval, anchorDay));
  return runs;
}
