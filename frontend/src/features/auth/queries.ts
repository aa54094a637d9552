import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';

import { getJson, send } from '../../api';
import { ME_QUERY_KEY } from '../../queryClient';
import { decodeMe, type Me } from './model';

export const meQuery = queryOptions({
  queryKey: ME_QUERY_KEY,
  queryFn: ({ signal }) => getJson('/api/me', decodeMe, { signal }),
  staleTime: 60_000,
  // A 401 is an answer, not a failure to retry. Without this, each page that mounts
  // after it (the sign-in page itself) would ask again, and a refetch of a query with
  // no data shows as pending, which unmounts that page: a loop.
  retryOnMount: false,
});

/** `GET /api/me`: pending, the user and teams, or an error (401: not signed in). */
export function useMe() {
  return useQuery(meQuery);
}

/** The signed-in user, or undefined (not loaded, signed out, or failed). */
export function useMeData(): Me | undefined {
  return useQuery(meQuery).data;
}

/** Signs out on the server, forgets every cached answer and goes to the sign-in page. */
export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await send('POST', '/api/auth/logout');
    } finally {
      // Even if the request failed, nothing of the previous user stays on screen.
      queryClient.clear();
      void navigate('/signin');
    }
  }, [queryClient, navigate]);
}
