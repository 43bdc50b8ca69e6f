import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { ACCOUNTS, isOneOf, ORIGINS, PAYMENT_STATUSES } from '../../domain/types.ts';
import type { ListSortParam } from '../../domain/paging.ts';
import type { ListFilters } from '../api/types.ts';
import { changeQuery, useSearch } from '../router.ts';
import { dollarsToCents } from './amount.ts';
import type { Sorting } from './DataTable.tsx';

/**
 * A list's filters as the filter bar shows them: text as typed (amounts in dollars), and
 * `status` (the Payment Manager's payment status). They live in the page's address
 * (issue 16), so a reload, a pasted link, Back and Forward open the same list.
 */
export interface FilterForm {
  q: string;
  from: string;
  to: string;
  min: string;
  max: string;
  account: (typeof ACCOUNTS)[number] | '';
  origin: (typeof ORIGINS)[number] | '';
  status: (typeof PAYMENT_STATUSES)[number] | '';
}

const FORM_KEYS = ['q', 'from', 'to', 'min', 'max', 'account', 'origin', 'status'] as const;
/** Fields typed a character at a time: the address follows them without a history entry per key. */
const TYPED = new Set<keyof FilterForm>(['q', 'from', 'to', 'min', 'max']);

/** What a list can be sorted by; each order's first click (a header not sorted yet) goes this way. */
export const SORT_FIELDS = { date: 'desc', amount: 'desc', payer: 'asc', status: 'asc' } as const;
export type SortField = keyof typeof SORT_FIELDS;
const SORT_KEYS = Object.keys(SORT_FIELDS);
export interface ListSort {
  key: SortField;
  order: 'asc' | 'desc';
}
export const DEFAULT_SORT: ListSort = { key: 'date', order: 'desc' };

/** The API's `sort`: the key, with '-' for descending ('-amount'). */
export function sortParam(sort: ListSort): ListSortParam {
  return sort.order === 'desc' ? (`-${sort.key}` as const) : sort.key;
}

/** The order a header click asks for: the other way on the sorted column, its first way on another. */
export function nextSort(current: ListSort, key: SortField): ListSort {
  if (current.key === key) return { key, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { key, order: SORT_FIELDS[key] };
}

/** The address's list state; anything not understood is as if absent. */
export function readListState(search: string): { form: FilterForm; sort: ListSort } {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name) ?? '';
  const account = text('account');
  const origin = text('origin');
  const status = text('status');
  const sortText = text('sort');
  const key = sortText.replace(/^-/, '');
  return {
    form: {
      q: text('q'),
      from: text('from'),
      to: text('to'),
      min: text('min'),
      max: text('max'),
      account: isOneOf(ACCOUNTS, account) ? account : '',
      origin: isOneOf(ORIGINS, origin) ? origin : '',
      status: isOneOf(PAYMENT_STATUSES, status) ? status : '',
    },
    sort: Object.hasOwn(SORT_FIELDS, key)
      ? { key: key as SortField, order: sortText.startsWith('-') ? 'desc' : 'asc' }
      : DEFAULT_SORT,
  };
}

function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

export type FilterErrors = Partial<Record<'from' | 'to' | 'min' | 'max', string>>;

/**
 * The filters to send, and what is wrong with the form, field by field. A field in error
 * is left out (and both ends of a range whose ends cross), so the list and its counts
 * stay as they were rather than turning into an error (issue 16).
 */
export function checkFilters(form: FilterForm): { filters: ListFilters; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const min = dollarsToCents(form.min);
  const max = dollarsToCents(form.max);
  if (min.error) errors.min = min.error;
  if (max.error) errors.max = max.error;
  if (min.cents !== undefined && max.cents !== undefined && min.cents > max.cents)
    errors.min = 'More than the max amount';
  if (form.from && !isDay(form.from)) errors.from = 'Enter a date';
  if (form.to && !isDay(form.to)) errors.to = 'Enter a date';
  if (!errors.from && !errors.to && form.from && form.to && form.from > form.to) errors.from = 'After the To date';
  const amountsOk = !errors.min && !errors.max;
  const daysOk = !errors.from && !errors.to;
  return {
    filters: {
      ...(form.from && daysOk ? { from: form.from } : {}),
      ...(form.to && daysOk ? { to: form.to } : {}),
      ...(min.cents !== undefined && amountsOk ? { minCents: min.cents } : {}),
      ...(max.cents !== undefined && amountsOk ? { maxCents: max.cents } : {}),
      ...(form.account ? { account: form.account } : {}),
      ...(form.origin ? { origin: form.origin } : {}),
    },
    errors,
  };
}

/** The address's parameters a change of filters or order clears: the page shown starts again at the first. */
export const PAGE_PARAMS = { cursor: null, page: null, back: null } as const;

/** The filter bar's state and order, from the page's address, and the filters to send: the search waits for typing to pause. */
export function useFilters() {
  const search = useSearch();
  const { form, sort } = useMemo(() => readListState(search), [search]);
  const [q] = useDebouncedValue(form.q.trim(), 300);
  const checked = useMemo(() => checkFilters(form), [form]);
  const filters: ListFilters = useMemo(() => ({ ...(q ? { q } : {}), ...checked.filters }), [q, checked]);
  const { status } = form;
  const setSort = (next: ListSort) =>
    changeQuery({ sort: sortParam(next) === sortParam(DEFAULT_SORT) ? null : sortParam(next), ...PAGE_PARAMS }, 'push');
  return {
    form,
    set: <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
      changeQuery({ [key]: value, ...PAGE_PARAMS }, TYPED.has(key) ? 'replace' : 'push'),
    /** Clears every filter and the search (the order stays). */
    reset: () => changeQuery({ ...Object.fromEntries(FORM_KEYS.map((k) => [k, null])), ...PAGE_PARAMS }, 'push'),
    errors: checked.errors,
    filters,
    /** The payment status chosen (Payment Manager), or undefined. */
    status: status || undefined,
    sort,
    sortParam: sortParam(sort),
    setSort,
    /** The table's sortable headers (their column ids are the sort keys), for DataTable. */
    sorting: {
      keys: SORT_KEYS,
      current: sort,
      onSort: (key: string) => {
        if (Object.hasOwn(SORT_FIELDS, key)) setSort(nextSort(sort, key as SortField));
      },
    } satisfies Sorting,
    /** Whether any filter or the search is set (in error or not). */
    active: FORM_KEYS.some((k) => form[k] !== ''),
    /** Changes whenever the rows asked for change, so paging starts over. */
    key: JSON.stringify([filters, status, sortParam(sort)]),
  };
}

export type Filters = ReturnType<typeof useFilters>;
