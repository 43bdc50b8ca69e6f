import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { ConnectStatus } from '../api/types.ts';
import { useLiveRefetch } from '../live/useLive.ts';

/**
 * GET /connect/status. Besides the stream's connect.changed, asked again every half
 * minute: an agent going silent is no event, and the warning is the server's to judge.
 */
export function useConnectStatus() {
  const live = useLiveRefetch();
  return useQuery({
    queryKey: ['connect', 'status'],
    queryFn: () => api<ConnectStatus>('GET', '/connect/status'),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: live.refetchOnWindowFocus,
    refetchInterval: 30_000,
  });
}
