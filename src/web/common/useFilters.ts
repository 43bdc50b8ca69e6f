import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { parseMoney } from '../../domain/money.ts';
import { ACCOUNTS, ORIGINS } from '../../domain/types.ts';
import type { ListFilters } from '../api/types.ts';

export interface FilterForm {
  q: string;
  from: string;
  to: string;
  min: string;
  max: string;
  account: (typeof ACCOUNTS)[number] | '';
  origin: (typeof ORIGINS)[number] | '';
  sort: 'asc' | 'desc';
}

const EMPTY: FilterForm = { q: '', from: '', to: '', min: '', max: '', account: '', origin: '', sort: 'desc' };

/** Dollars typed by a person to exact cents, or an error to show; '$1,234.5' is forgiven its '$' and commas. */
export function dollarsToCents(text: string): { cents?: number; error?: string } {
  const cleaned = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (!cleaned) return {};
  try {
    return { cents: parseMoney(cleaned) };
  } catch {
    return { error: 'Enter an amount like 1234.56' };
  }
}

/** The filter bar's state, and the filters to send: the search waits for typing to pause. */
export function useFilters() {
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [q] = useDebouncedValue(form.q.trim(), 300);
  const min = dollarsToCents(form.min);
  const max = dollarsToCents(form.max);
  const filters: ListFilters = {
    ...(q ? { q } : {}),
    ...(form.from ? { from: form.from } : {}),
    ...(form.to ? { to: form.to } : {}),
    ...(min.cents !== undefined ? { minCents: min.cents } : {}),
    ...(max.cents !== undefined ? { maxCents: max.cents } : {}),
    ...(form.account ? { account: form.account } : {}),
    ...(form.origin ? { origin: form.origin } : {}),
  };
  return {
    form,
    set: <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => setForm((f) => ({ ...f, [key]: value })),
    reset: () => setForm(EMPTY),
    errors: { min: min.error, max: max.error },
    filters,
    sort: form.sort,
    /** Changes whenever the rows asked for change, so paging starts over. */
    key: JSON.stringify([filters, form.sort]),
  };
}

export type Filters = ReturnType<typeof useFilters>;
