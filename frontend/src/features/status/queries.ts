import { queryOptions } from '@tanstack/react-query';

import { getJson } from '../../api';
import { decodeReadiness, decodeVersion } from './decode';

/** The status page polls the server this often. */
export const STATUS_REFETCH_MS = 10_000;

export const readinessQuery = queryOptions({
  queryKey: ['readyz'],
  // 503 carries the same body, with the failing checks: show it, not an error.
  queryFn: ({ signal }) => getJson('/readyz', decodeReadiness, { signal, acceptStatus: [503] }),
  refetchInterval: STATUS_REFETCH_MS,
});

export const versionQuery = queryOptions({
  queryKey: ['api', 'version'],
  queryFn: ({ signal }) => getJson('/api/version', decodeVersion, { signal }),
  refetchInterval: STATUS_REFETCH_MS,
});
