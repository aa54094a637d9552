import { QueryClient } from '@tanstack/react-query';

/** @param retry how often a failed query is retried before it shows as an error. */
export function createQueryClient({ retry = 1 }: { retry?: number } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry,
        staleTime: 5_000,
      },
    },
  });
}
