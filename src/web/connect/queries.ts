import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import { useLiveRefetch } from '../live/useLive.ts';

/**
 * GET /connect/status. Besides the stream's connect.changed, asked again every half
 * minute: an agent going silent is no event, and the warning is the server's to judge.
 */
export function useConnectStatus() {
  const live = useLiveRefetch();
  return useQuery({
    queryKey: apiKey('GET /connect/status'),
    queryFn: () => call('GET /connect/status'),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: live.refetchOnWindowFocus,
    refetchInterval: 30_000,
  });
}
