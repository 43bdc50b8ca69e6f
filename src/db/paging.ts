import { sql, type RawBuilder } from 'kysely';
import {
  checkRange,
  daySpan,
  decodeCursor,
  type DaySpan,
  type ListFilters,
  type ListSort,
  type SortKey,
} from '../domain/paging.ts';
import type { Db } from './connect.ts';
import { readTimeZone } from './firms.ts';

/** daySpan in the firm's time zone, read only when the filters have days. */
export async function firmDaySpan(db: Db, firmId: string, filters: ListFilters): Promise<DaySpan> {
  return filters.from || filters.to ? daySpan(filters, await readTimeZone(db, firmId)) : {};
}

/**
 * The columns a list is ordered by, on a table alias: the sort's key, then date and id, all
 * one way, so a row comparison pages it and one index (migration 0027) reads it in order.
 * The payer is compared lower-cased byte by byte, alike on every engine and locale.
 */
function sortColumns(alias: 'r' | 'p', key: SortKey): RawBuilder<unknown>[] {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const lead =
    key === 'amount'
      ? [sql`${col('amount_cents')}`]
      : key === 'payer'
        ? [sql`lower(${col('payer_name')}) collate "C"`]
        : key === 'status'
          ? [sql`${col('status')}`]
          : [];
  return [...lead, sql`${col('processed_at')}`, sql`${col('id')}`];
}

/** ORDER BY the sort's columns (sortColumns), each in the sort's direction. */
export function orderBySort(alias: 'r' | 'p', sort: ListSort): RawBuilder<unknown> {
  const direction = sql.raw(sort.order);
  return sql.join(sortColumns(alias, sort.key).map((column) => sql`${column} ${direction}`));
}

/**
 * The keyset conditions "after this cursor" on a table alias ordered by sortColumns, to
 * be tried in turn until a page is full. By date, one row comparison. By another key, the
 * rest of the cursor's value (same value, later date and id), then the values after it:
 * PostgreSQL estimates a row comparison by its first column alone, and on a key of few
 * values (a status) a comparison starting with it looks like a handful of rows when it is
 * most of the firm's, and is sorted rather than read in order. Each of the two reads in
 * order through the same index (migration 0027).
 */
export function afterCursor(alias: 'r' | 'p', cursor: string, sort: ListSort): RawBuilder<boolean>[] {
  const key = decodeCursor(cursor, sort.key);
  const op = sort.order === 'desc' ? sql`<` : sql`>`;
  const columns = sortColumns(alias, sort.key);
  const last = sql`(${key.at}, ${key.id}::uuid)`;
  if (sort.key === 'date') return [sql<boolean>`(${sql.join(columns)}) ${op} ${last}`];
  const [lead, ...dateAndId] = columns;
  const value = sort.key === 'payer' ? sql`lower(${key.value}) collate "C"` : sql`${key.value}`;
  return [
    sql<boolean>`${lead} = ${value} and (${sql.join(dateAndId)}) ${op} ${last}`,
    sql<boolean>`${lead} ${op} ${value}`,
  ];
}

/**
 * One keyset page: `read(condition, n)` reads up to n rows after the cursor under a
 * condition (afterCursor's, in turn; none without a cursor) until limit + 1 are read.
 */
export async function readAfter<T>(
  alias: 'r' | 'p',
  cursor: string | undefined,
  sort: ListSort,
  limit: number,
  read: (condition: RawBuilder<boolean> | null, n: number) => Promise<T[]>,
): Promise<T[]> {
  if (!cursor) return read(null, limit + 1);
  const rows: T[] = [];
  for (const condition of afterCursor(alias, cursor, sort)) {
    rows.push(...(await read(condition, limit + 1 - rows.length)));
    if (rows.length > limit) break;
  }
  return rows;
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
