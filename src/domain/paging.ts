import { isInstantInRange } from './bounds.ts';
import { addDays, dayStartIn } from './dates.ts';
import { badRequest } from './errors.ts';
import { isUuid } from './ids.ts';
import type { Account, Origin } from './types.ts';
import type { Cents } from './money.ts';

/** The filters every list of payments or posting records takes (SPEC §4). */
export interface ListFilters {
  q?: string | undefined;
  from?: string | undefined; // YYYY-MM-DD, inclusive
  to?: string | undefined; // YYYY-MM-DD, inclusive
  minCents?: Cents | undefined;
  maxCents?: Cents | undefined;
  account?: Account | undefined;
  origin?: Origin | undefined;
}

export type SortOrder = 'asc' | 'desc';

export interface Keyset {
  at: Date;
  id: string;
}

/** An opaque keyset cursor: the date and id of the last row of the page. */
export function encodeCursor(key: { at: Date | string; id: string }): string {
  const at = typeof key.at === 'string' ? key.at : key.at.toISOString();
  return Buffer.from(JSON.stringify([at, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const at = new Date(parsed[0]);
      // A cursor is handed back as the client got it, or crafted: its instant must be one
      // a record can have, or the database would be asked for a year it cannot hold.
      if (isInstantInRange(at) && isUuid(parsed[1])) return { at, id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest(`cursor "${cursor.slice(0, 40)}" is not one this list gave`, { field: 'cursor' });
}

/** `%` and `_` typed in a search box are literal characters, not wildcards. */
export function likePattern(q: string): string {
  return `%${q
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The instants a list's from/to days span, [start, end): from's first instant to the first after `to`. */
export interface DaySpan {
  start?: Date | undefined;
  end?: Date | undefined;
}

/** The days of a date filter are the firm's (SPEC §2): in Los Angeles, 31 December runs until 08:00 UTC on 1 January. */
export function daySpan(filters: ListFilters, timeZone: string): DaySpan {
  return {
    start: filters.from ? dayStartIn(filters.from, timeZone) : undefined,
    end: filters.to ? dayStartIn(addDays(filters.to, 1), timeZone) : undefined,
  };
}

export function checkRange(filters: ListFilters): void {
  if (filters.from && filters.to && filters.from > filters.to) throw badRequest('from is after to', { field: 'from' });
  if (filters.minCents !== undefined && filters.maxCents !== undefined && filters.minCents > filters.maxCents) {
    throw badRequest('minCents is more than maxCents', { field: 'minCents' });
  }
}

/** The largest batch seq: a PostgreSQL integer. */
const MAX_SEQ = 2_147_483_647;

/** The batch seq a Batches page's cursor names (the last one it showed); a longer number or other text is no cursor this list gave. */
export function seqCursor(cursor: string): number {
  if (!/^[1-9]\d{0,9}$/.test(cursor) || Number(cursor) > MAX_SEQ)
    throw badRequest(`cursor "${cursor}" is not one this list gave`, { field: 'cursor' });
  return Number(cursor);
}

/** Splits the limit+1 rows a keyset query fetched into the page and the next page's cursor. */
export function keysetPage<T extends { processed_at: Date; id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.processed_at, id: last.id }) : null,
  };
}
