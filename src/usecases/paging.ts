import { badRequest } from '../errors.ts';
import { isUuid } from '../ids.ts';

/** The filters every list of payments or posting records takes (SPEC §4). */
export interface ListFilters {
  q?: string | undefined;
  from?: string | undefined; // YYYY-MM-DD, inclusive
  to?: string | undefined; // YYYY-MM-DD, inclusive
  minCents?: number | undefined;
  maxCents?: number | undefined;
  account?: 'operating' | 'trust' | undefined;
  origin?: string | undefined;
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
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const at = new Date(parsed[0]);
      if (!Number.isNaN(at.getTime()) && isUuid(parsed[1])) return { at, id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest(`cursor "${cursor.slice(0, 40)}" is not one this list gave`, { field: 'cursor' });
}

/** `%` and `_` typed in a search box are literal characters, not wildcards. */
export function likePattern(q: string): string {
  return `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function dayAfter(date: string): Date {
  return new Date(dayStart(date).getTime() + 86_400_000);
}

export function checkRange(filters: ListFilters): void {
  if (filters.from && filters.to && filters.from > filters.to) throw badRequest('from is after to', { field: 'from' });
  if (filters.minCents !== undefined && filters.maxCents !== undefined && filters.minCents > filters.maxCents) {
    throw badRequest('minCents is more than maxCents', { field: 'minCents' });
  }
}
