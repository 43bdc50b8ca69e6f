import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import type { ListSortParam } from '../../domain/paging.ts';
import type { ListFilters, View } from '../api/types.ts';
import { useLiveRefetch } from '../live/useLive.ts';

export interface ListArgs {
  view: View;
  filters: ListFilters;
  /** The API's sort ('-date', 'amount', …). */
  sort: ListSortParam;
  cursor: string | undefined;
  limit: number;
}

export function usePostings({ view, filters, sort, cursor, limit }: ListArgs) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: apiKey('GET /postings', { query: { view, ...filters, sort, cursor, limit } }),
    queryFn: () => call('GET /postings', { query: { view, ...filters, sort, cursor, limit } }),
    // Keep the last page on screen while the next loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

export function useCounts(filters: ListFilters) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: apiKey('GET /postings/counts', { query: filters }),
    queryFn: () => call('GET /postings/counts', { query: filters }),
    placeholderData: keepPreviousData,
  });
}

export function useRecord(id: string | null) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: apiKey('GET /postings/:id', { params: { id: id ?? '' } }),
    queryFn: () => call('GET /postings/:id', { params: { id: id ?? '' } }),
    enabled: id !== null,
    // Always asked again on opening: the drawer starts from the record as it is now, not as cached.
    staleTime: 0,
  });
}

/** After any change, every list, count, payment and batch may be out of date. */
export function useRefreshAll() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(['postings', 'payments', 'batches'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
}

/** Reallocate Payment's offers for an operating record (the payer's typed invoices matched, Apply oldest first). */
export function useSuggestion(id: string, enabled: boolean) {
  return useQuery({
    queryKey: apiKey('GET /postings/:id/suggestion', { params: { id } }),
    queryFn: () => call('GET /postings/:id/suggestion', { params: { id } }),
    enabled,
    staleTime: 0,
  });
}
