import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { connectLive, type LiveState } from './liveStream.ts';

/** While the stream is down, screens refetch what they show this often (and when the window regains focus). */
export const FALLBACK_REFETCH_MS = 30_000;

let state: LiveState = 'connecting';
const listeners = new Set<() => void>();

function setLiveState(next: LiveState): void {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveState(): LiveState {
  return useSyncExternalStore(subscribe, () => state);
}

/**
 * One event stream per signed-in session: the staff shell opens it and closes it when it
 * goes (sign-out, or a session that ran out). The browser sends the session cookie with it.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const live = connectLive({
      url: '/api/v1/events',
      open: (url) => new EventSource(url),
      invalidate: (prefixes) => {
        for (const prefix of prefixes) void queryClient.invalidateQueries({ queryKey: [prefix] });
      },
      onState: setLiveState,
    });
    return () => {
      live.close();
      setLiveState('connecting');
    };
  }, [queryClient]);
}

/** Query options for what the stream keeps fresh: nothing extra while it is open, today's refetching while it is not. */
export function useLiveRefetch() {
  const open = useLiveState() === 'open';
  return { refetchOnWindowFocus: !open, refetchInterval: open ? false : FALLBACK_REFETCH_MS } as const;
}
