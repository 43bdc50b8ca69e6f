import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { apiKey, call } from './api/call.ts';
import { setCsrfToken } from './api/client.ts';
import type { Me, Role } from './api/types.ts';

export function useMeQuery() {
  return useQuery({
    queryKey: apiKey('GET /me'),
    queryFn: async () => {
      const me = await call('GET /me');
      setCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 60_000,
  });
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in screen');
  return me;
}

const RANK: Record<Role, number> = { viewer: 0, accountant: 1, admin: 2 };

/** Whether the signed-in user may do what needs `role`: the server checks again either way. */
export function useCan(role: Role): boolean {
  return RANK[useMe().user.role] >= RANK[role];
}
