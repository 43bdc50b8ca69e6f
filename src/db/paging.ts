import { sql, type RawBuilder } from 'kysely';
import { checkRange, daySpan, decodeCursor, type DaySpan, type ListFilters, type SortOrder } from '../domain/paging.ts';
import type { Db } from './connect.ts';
import { readTimeZone } from './firms.ts';

/** daySpan in the firm's time zone, read only when the filters have days. */
export async function firmDaySpan(db: Db, firmId: string, filters: ListFilters): Promise<DaySpan> {
  return filters.from || filters.to ? daySpan(filters, await readTimeZone(db, firmId)) : {};
}

/** The keyset condition "after this cursor" on a table alias ordered by (processed_at, id). */
export function afterCursor(alias: 'r' | 'p', cursor: string, sort: SortOrder): RawBuilder<boolean> {
  const key = decodeCursor(cursor);
  const op = sort === 'desc' ? sql`<` : sql`>`;
  return sql<boolean>`(${sql.ref(`${alias}.processed_at`)}, ${sql.ref(`${alias}.id`)}) ${op} (${key.at}, ${key.id}::uuid)`;
}

/**
 * The filters every list shares, as conditions on a table alias that has processed_at,
 * amount_cents, account and origin: the same for a list's page, its count and its export.
 * `days` is the filters' from/to as instants (firmDaySpan).
 */
export function filterConditions(alias: 'r' | 'p', filters: ListFilters, days: DaySpan): RawBuilder<boolean>[] {
  checkRange(filters);
  if ((filters.from && !days.start) || (filters.to && !days.end))
    throw new Error('a date filter without its instants: use firmDaySpan');
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
