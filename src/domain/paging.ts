import { isInstantInRange } from './bounds.ts';
import { addDays, dayStartIn } from './dates.ts';
import { badRequest } from './errors.ts';
import { isUuid } from './ids.ts';
import type { Account, Origin } from './types.ts';
import { MAX_AMOUNT_CENTS, parseMoney, type Cents } from './money.ts';

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

/** What a list can be sorted by (issue 16): every order ends in date and id, so it is total and a keyset can page it. */
export const SORT_KEYS = ['date', 'amount', 'payer', 'status'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * A list's `sort` parameter: a key, ascending, or with a leading '-' descending
 * (`-amount`: largest first). `asc` and `desc` are the date orders of the first release,
 * kept so the links and scripts that send them still work; `desc` is the default.
 */
export const LIST_SORTS = [
  '-date',
  'date',
  '-amount',
  'amount',
  'payer',
  '-payer',
  'status',
  '-status',
  'desc',
  'asc',
] as const;
export type ListSortParam = (typeof LIST_SORTS)[number];

export interface ListSort {
  key: SortKey;
  order: SortOrder;
}

export function listSort(param: ListSortParam): ListSort {
  if (param === 'asc' || param === 'desc') return { key: 'date', order: param };
  return param.startsWith('-')
    ? { key: param.slice(1) as SortKey, order: 'desc' }
    : { key: param as SortKey, order: 'asc' };
}

/** The sort's own value of a row (its amount, payer or status); the date order has none besides the date. */
export type SortValue = number | string;

export interface Keyset {
  at: Date;
  id: string;
  /** The value of the sort's key (not for the date order). */
  value?: SortValue | undefined;
}

/**
 * An opaque keyset cursor: the date and id of the last row of the page, and for another
 * order than by date, that order's key and the row's value of it, so a cursor of one
 * order is refused by another rather than skipping rows.
 */
export function encodeCursor(
  key: { at: Date | string; id: string },
  sort?: { key: SortKey; value: SortValue },
): string {
  const at = typeof key.at === 'string' ? key.at : key.at.toISOString();
  const parts = sort && sort.key !== 'date' ? [at, key.id, sort.key, sort.value] : [at, key.id];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const SORT_VALUE_TYPE: Record<SortKey, 'number' | 'string' | null> = {
  date: null,
  amount: 'number',
  payer: 'string',
  status: 'string',
};

export function decodeCursor(cursor: string, sortKey: SortKey = 'date'): Keyset {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valueType = SORT_VALUE_TYPE[sortKey];
    if (
      Array.isArray(parsed) &&
      parsed.length === (valueType ? 4 : 2) &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      (valueType === null || (parsed[2] === sortKey && typeof parsed[3] === valueType))
    ) {
      const at = new Date(parsed[0]);
      const value: unknown = parsed[3];
      // A cursor is handed back as the client got it, or crafted: its instant must be one
      // a record can have, or the database would be asked for a year it cannot hold.
      if (
        isInstantInRange(at) &&
        isUuid(parsed[1]) &&
        (typeof value !== 'number' || Number.isSafeInteger(value)) &&
        (typeof value !== 'string' || value.length <= 1000)
      )
        return valueType ? { at, id: parsed[1], value: value as SortValue } : { at, id: parsed[1] };
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

/** The columns a sorted list's rows carry: what its cursor is made of. */
export interface SortableRow {
  processed_at: Date;
  id: string;
  amount_cents: number;
  payer_name: string;
  status: string;
}

function sortValue(row: SortableRow, key: SortKey): SortValue {
  return key === 'amount' ? row.amount_cents : key === 'payer' ? row.payer_name : row.status;
}

/** Splits the limit+1 rows a keyset query fetched into the page and the next page's cursor. */
export function keysetPage<T extends SortableRow>(
  rows: T[],
  limit: number,
  sortKey: SortKey = 'date',
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ at: last.processed_at, id: last.id }, { key: sortKey, value: sortValue(last, sortKey) })
        : null,
  };
}

/**
 * What a search box's text can mean besides words (issue 16): an amount as the tables
 * show it ("1,250.00", "$1250", "1250": dollars), the last 4 digits of a card or bank
 * account, or a client and matter as "1002 / 001" (the matter may be its beginning).
 */
export interface SearchMeanings {
  cents: Cents | null;
  last4: string | null;
  clientMatter: { client: string; matterPattern: string } | null;
}

const AMOUNT_TEXT = /^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/;

export function searchMeanings(q: string): SearchMeanings {
  const text = q.trim();
  let cents: Cents | null = null;
  if (AMOUNT_TEXT.test(text)) {
    try {
      const value = parseMoney(text.replace(/^\$/, '').replaceAll(',', ''));
      cents = value > 0 && value <= MAX_AMOUNT_CENTS ? value : null;
    } catch {
      cents = null;
    }
  }
  const pair = /^([^/\s]+)\s*\/\s*([^/\s]+)$/.exec(text);
  return {
    cents,
    last4: /^\d{4}$/.test(text) ? text : null,
    clientMatter: pair ? { client: pair[1]!.toLowerCase(), matterPattern: likePattern(pair[2]!).slice(1) } : null,
  };
}

/**
 * Search keys (issue 16): an amount, a last 4 and a client/matter pair written into a
 * record's indexed search text (posting_record_search), so searchMeanings is answered by
 * the trigram index like words are. Their letters are capitals and digits are written as
 * the capitals A–J: the search box's words are matched lower-cased, so a word never
 * matches a key ("1250" does not find $12.50's key), and a key only matches its meaning.
 * Migration 0030 writes the amount and last 4 keys the same way (paybridge_search_keys).
 */
const lettered = (digits: string) => digits.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!);
export const amountKey = (cents: number): string => `#A${lettered(String(Math.abs(cents)))}#`;
export const last4Key = (last4: string): string => `#L${lettered(last4)}#`;
export const clientMatterKey = (client: string, matter: string): string => `#M${client}/${matter}#`.toUpperCase();

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The search box's text as it is looked for: without the `#` that marks the search keys,
 * which the words of the search text never hold either (searchText), so "#" does not find
 * every record through its keys and "#101" finds invoice 101. Null when nothing is left
 * ("#", "# #"): the list is shown unsearched, as for an empty box, rather than emptied
 * while someone types "#101". Other punctuation is looked for as typed ("%" finds a "%").
 */
export function searchWords(q: string | undefined): string | null {
  const text = (q ?? '').replaceAll('#', '').trim();
  return text === '' ? null : text;
}

/** The LIKE patterns on the search text that find what the search box's text means besides words. */
export function searchKeyPatterns(q: string): string[] {
  const { cents, last4, clientMatter } = searchMeanings(q);
  const patterns: string[] = [];
  if (cents !== null) patterns.push(`%${escapeLike(amountKey(cents))}%`);
  if (last4 !== null) patterns.push(`%${escapeLike(last4Key(last4))}%`);
  // The matter may be its beginning: the pattern ends after what was typed of it.
  if (clientMatter !== null)
    patterns.push(
      `%${escapeLike(`#M${clientMatter.client}/`.toUpperCase())}${clientMatter.matterPattern.toUpperCase()}`,
    );
  return patterns;
}
