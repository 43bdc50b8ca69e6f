import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from './api/client.ts';

// The staff side's cache (and the password link's): a payer's page never loads TanStack
// Query, so its first load stays within the budget test/e2e/bundle-size.test.ts holds.
const queryClient: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a dropped connection might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A session that ran out mid-use sends the user back to Sign in (but /me's own 401 is that already).
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'me') {
        void queryClient.invalidateQueries({ queryKey: ['me'] });
      }
    },
  }),
});

/** One cache for every staff screen, kept across the lazy screens' loads. */
export function WithQueries({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
