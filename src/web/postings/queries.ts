import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../api/client.ts';
import type { Counts, ListFilters, Page, PostingRecord, RecordDetail, View } from '../api/types.ts';
import { useLiveRefetch } from '../live/useLive.ts';

export interface ListArgs {
  view: View;
  filters: ListFilters;
  sort: 'asc' | 'desc';
  cursor: string | undefined;
  limit: number;
}

export function usePostings({ view, filters, sort, cursor, limit }: ListArgs) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: ['postings', 'list', view, filters, sort, cursor, limit],
    queryFn: () => api<Page<PostingRecord>>('GET', withQuery('/postings', { view, ...filters, sort, cursor, limit })),
    // Keep the last page on screen while the next loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

export function useCounts(filters: ListFilters) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: ['postings', 'counts', filters],
    queryFn: () => api<Counts>('GET', withQuery('/postings/counts', { ...filters })),
    placeholderData: keepPreviousData,
  });
}

export function useRecord(id: string | null) {
  const live = useLiveRefetch();
  return useQuery({
    ...live,
    queryKey: ['postings', 'record', id],
    queryFn: () => api<RecordDetail>('GET', `/postings/${id}`),
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
