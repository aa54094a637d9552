import { QueryCache, QueryClient } from '@tanstack/react-query';

import { ApiError, isUnauthenticated } from './api';

/** The key of `GET /api/me`; a 401 anywhere else makes it check the session again. */
export const ME_QUERY_KEY = ['me'] as const;

/** Client errors (4xx) mean the same request would fail again: only others are retried. */
export function shouldRetry(failureCount: number, error: unknown, retry: number): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    return false;
  }
  return failureCount < retry;
}

/** @param retry how often a failed query is retried before it shows as an error. */
export function createQueryClient({ retry = 1 }: { retry?: number } = {}): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // The session ended (signed out elsewhere, expired): let /api/me find out,
        // so the pages that need a user show the sign-in page.
        if (isUnauthenticated(error) && query.queryKey[0] !== ME_QUERY_KEY[0]) {
          void client.invalidateQueries({ queryKey: ME_QUERY_KEY });
        }
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => shouldRetry(failureCount, error, retry),
        staleTime: 5_000,
      },
    },
  });
  return client;
}
