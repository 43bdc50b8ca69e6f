import { sql, type RawBuilder } from 'kysely';
import { isInstantInRange } from '../domain/bounds.ts';
import { addDays, dayStartIn } from '../domain/dates.ts';
import type { Db } from '../db/connect.ts';
import { readTimeZone } from '../db/firms.ts';
import { badRequest } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';

/** The filters every list of payments or posting records takes (SPEC §4). */
import type { Account, Origin } from '../domain/types.ts';

export interface ListFilters {
  q?: string | undefined;
  from?: string | undefined; // YYYY-MM-DD, inclusive
  to?: string | undefined; // YYYY-MM-DD, inclusive
  minCents?: number | undefined;
  maxCents?: number | undefined;
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
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
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
  return `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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

/** daySpan in the firm's time zone, read only when the filters have days. */
export async function firmDaySpan(db: Db, firmId: string, filters: ListFilters): Promise<DaySpan> {
  return filters.from || filters.to ? daySpan(filters, await readTimeZone(db, firmId)) : {};
}

export function checkRange(filters: ListFilters): void {
  if (filters.from && filters.to && filters.from > filters.to) throw badRequest('from is after to', { field: 'from' });
  if (filters.minCents !== undefined && filters.maxCents !== undefined && filters.minCents > filters.maxCents) {
    throw badRequest('minCents is more than maxCents', { field: 'minCents' });
  }
}

/** The keyset condition "after this cursor" on a table alias ordered by (processed_at, id). */
export function afterCursor(alias: 'r' | 'p', cursor: string, sort: SortOrder): RawBuilder<boolean> {
  const key = decodeCursor(cursor);
  const op = sort === 'desc' ? sql`<` : sql`>`;
  return sql<boolean>`(${sql.ref(`${alias}.processed_at`)}, ${sql.ref(`${alias}.id`)}) ${op} (${key.at}, ${key.id}::uuid)`;
}

/** Splits the limit+1 rows a keyset query fetched into the page and the next page's cursor. */
export function keysetPage<T extends { processed_at: Date; id: string }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.processed_at, id: last.id }) : null };
}

/**
 * The filters every list shares, as conditions on a table alias that has processed_at,
 * amount_cents, account and origin: the same for a list's page, its count and its export.
 * `days` is the filters' from/to as instants (firmDaySpan).
 */
export function filterConditions(alias: 'r' | 'p', filters: ListFilters, days: DaySpan): RawBuilder<boolean>[] {
  checkRange(filters);
  if ((filters.from && !days.start) || (filters.to && !days.end)) throw new Error('a date filter without its instants: use firmDaySpan');
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions: RawBuilder<boolean>[] = [];
  if (days.start) conditions.push(sql<boolean>`${col('processed_at')} >= ${days.start}`);
  if (days.end) conditions.push(sql<boolean>`${col('processed_at')} < ${days.end}`);
  if (filters.minCents !== undefined) conditions.push(sql<boolean>`${col('amount_cents')} >= ${filters.minCents}`);
  if (filters.maxCents !== undefined) conditions.push(sql<boolean>`${col('amount_cents')} <= ${filters.maxCents}`);
  if (filters.account) conditions.push(sql<boolean>`${col('account')} = ${filters.account}`);
  if (filters.origin) conditions.push(sql<boolean>`${col('origin')} = ${filters.origin}`);
  return conditions;
}

/** Conditions joined with AND; true when there are none. */
export function allOf(conditions: RawBuilder<boolean>[]): RawBuilder<boolean> {
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`true`;
}
