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
